/// Bytes that are not a well-formed PostgreSQL v3 message, or a message that cannot be put on the wire.
///
/// The broker sits between a client it does not trust and a server it must protect, so a decoding failure has to
/// say exactly what was wrong and where: `kind` is for code to match on, `messageType` and `offset` locate the
/// offending field, and the description carries the detail for logs. Like `NIOSSHError`, the kind is an extensible
/// struct rather than a public enum, and errors are built only through the static factories below.
package struct PostgresCodecError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, independent of where.
    package struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case negativeLength
            case lengthTooShort
            case lengthExceedsMaximum
            case unknownMessageType
            case unknownRequestCode
            case missingNULTerminator
            case truncatedField
            case countOverrunsBody
            case valueOverrunsBody
            case invalidValueLength
            case trailingBytes
            case unexpectedValue
            case dataAfterEncryptionRequest
            case repeatedEncryptionRequest
            case dataAfterCancelRequest
            case incompleteMessageAtEOF
            case embeddedNUL
            case tooManyValues
        }

        private let base: Base

        private init(_ base: Base) {
            self.base = base
        }

        package var description: String { base.rawValue }

        /// The length word is negative.
        package static let negativeLength = Kind(.negativeLength)
        /// The length word is smaller than the fields every message of its kind must have.
        package static let lengthTooShort = Kind(.lengthTooShort)
        /// The length word is larger than the configured maximum, or a message to encode is larger than Int32 allows.
        package static let lengthExceedsMaximum = Kind(.lengthExceedsMaximum)
        /// The type byte names no message this side of the connection may send.
        package static let unknownMessageType = Kind(.unknownMessageType)
        /// A startup-phase packet carries a code that is neither protocol 3 nor a known request.
        package static let unknownRequestCode = Kind(.unknownRequestCode)
        /// A string field runs to the end of the message without its NUL terminator.
        package static let missingNULTerminator = Kind(.missingNULTerminator)
        /// A fixed-size field extends past the end of the message.
        package static let truncatedField = Kind(.truncatedField)
        /// A count promises more items than the rest of the message can hold.
        package static let countOverrunsBody = Kind(.countOverrunsBody)
        /// A length-prefixed value extends past the end of the message.
        package static let valueOverrunsBody = Kind(.valueOverrunsBody)
        /// A value length is negative but not -1 (NULL).
        package static let invalidValueLength = Kind(.invalidValueLength)
        /// Bytes remain after the message's last field.
        package static let trailingBytes = Kind(.trailingBytes)
        /// A field holds a value outside its domain (a format code, a transaction status, a key length...).
        package static let unexpectedValue = Kind(.unexpectedValue)
        /// Bytes arrived together with SSLRequest or GSSENCRequest, before the answer and the encryption handshake.
        package static let dataAfterEncryptionRequest = Kind(.dataAfterEncryptionRequest)
        /// SSLRequest or GSSENCRequest was sent a second time on one connection.
        package static let repeatedEncryptionRequest = Kind(.repeatedEncryptionRequest)
        /// Bytes followed a CancelRequest, which is the only message of its connection.
        package static let dataAfterCancelRequest = Kind(.dataAfterCancelRequest)
        /// The connection ended in the middle of a message.
        package static let incompleteMessageAtEOF = Kind(.incompleteMessageAtEOF)
        /// A string to encode contains a NUL byte, which would end it early and desynchronise the peer.
        package static let embeddedNUL = Kind(.embeddedNUL)
        /// A list to encode is longer than its count field can say.
        package static let tooManyValues = Kind(.tooManyValues)
    }

    package let kind: Kind
    /// The protocol's name for the message ("Bind", "StartupMessage"), or nil when the type byte or request code
    /// could not be identified.
    package let messageType: String?
    /// Where the problem was found, in bytes from the message's first byte (its type byte, or the length word of a
    /// startup-phase packet); nil for encoding failures.
    package let offset: Int?
    private let detail: String

    private init(_ kind: Kind, _ messageType: String?, offset: Int?, _ detail: String) {
        self.kind = kind
        self.messageType = messageType
        self.offset = offset
        self.detail = detail
    }

    package var description: String {
        let location = [messageType, offset.map { "offset \($0)" }].compactMap(\.self).joined(separator: " at ")
        return location.isEmpty ? "\(kind): \(detail)" : "\(kind) in \(location): \(detail)"
    }
}

// MARK: - Framing

extension PostgresCodecError {
    @inline(never)
    package static func negativeLength(_ length: Int32, messageType: String?, offset: Int) -> Self {
        Self(.negativeLength, messageType, offset: offset, "length word \(length) is negative")
    }

    @inline(never)
    package static func lengthTooShort(_ length: Int, minimum: Int, messageType: String?, offset: Int) -> Self {
        Self(.lengthTooShort, messageType, offset: offset, "length word \(length) is below the minimum \(minimum)")
    }

    @inline(never)
    package static func lengthExceedsMaximum(_ length: Int, maximum: Int, messageType: String?, offset: Int?) -> Self {
        Self(.lengthExceedsMaximum, messageType, offset: offset, "length \(length) exceeds the maximum \(maximum)")
    }

    @inline(never)
    package static func unknownMessageType(_ type: UInt8, direction: String) -> Self {
        Self(.unknownMessageType, nil, offset: 0, "type byte \(describe(byte: type)) is not a \(direction) message")
    }

    @inline(never)
    package static func unknownRequestCode(_ code: Int32) -> Self {
        let major = UInt32(bitPattern: code) >> 16
        let minor = UInt32(bitPattern: code) & 0xFFFF
        return Self(.unknownRequestCode, nil, offset: 4, "code \(code) (\(major).\(minor)) is not a known request")
    }

    @inline(never)
    package static func incompleteMessageAtEOF(bufferedBytes: Int, direction: String) -> Self {
        Self(
            .incompleteMessageAtEOF,
            nil,
            offset: nil,
            "the connection closed with \(bufferedBytes) bytes of an incomplete \(direction) message buffered"
        )
    }

    /// A byte as it can safely appear in a log line: the character when printable ASCII, always the hex value.
    package static func describe(byte: UInt8) -> String {
        let hex = "0x" + (byte < 16 ? "0" : "") + String(byte, radix: 16)
        guard (0x21...0x7E).contains(byte) else { return hex }
        return "'\(Character(Unicode.Scalar(byte)))' (\(hex))"
    }
}

// MARK: - Startup phase

extension PostgresCodecError {
    @inline(never)
    package static func dataAfterEncryptionRequest(_ messageType: String, bufferedBytes: Int) -> Self {
        Self(
            .dataAfterEncryptionRequest,
            messageType,
            offset: nil,
            "\(bufferedBytes) bytes arrived before the request was answered; a client must wait for the answer, and "
                + "bytes sent in the clear must never be taken as part of the encrypted session"
        )
    }

    @inline(never)
    package static func repeatedEncryptionRequest(_ messageType: String) -> Self {
        Self(.repeatedEncryptionRequest, messageType, offset: nil, "only one per connection is allowed")
    }

    @inline(never)
    package static func dataAfterCancelRequest(bufferedBytes: Int) -> Self {
        Self(
            .dataAfterCancelRequest,
            "CancelRequest",
            offset: nil,
            "\(bufferedBytes) bytes followed it; a cancel connection carries nothing else"
        )
    }
}

// MARK: - Fields

extension PostgresCodecError {
    @inline(never)
    package static func missingNULTerminator(field: String, messageType: String, offset: Int) -> Self {
        Self(.missingNULTerminator, messageType, offset: offset, "\(field) has no NUL terminator")
    }

    @inline(never)
    package static func truncatedField(field: String, needs: Int, remaining: Int, messageType: String, offset: Int)
        -> Self
    {
        Self(
            .truncatedField,
            messageType,
            offset: offset,
            "\(field) needs \(needs) bytes but only \(remaining) remain"
        )
    }

    @inline(never)
    package static func countOverrunsBody(
        field: String,
        count: Int,
        minimumBytes: Int,
        remaining: Int,
        messageType: String,
        offset: Int
    ) -> Self {
        Self(
            .countOverrunsBody,
            messageType,
            offset: offset,
            "\(field) count \(count) needs at least \(minimumBytes) bytes but only \(remaining) remain"
        )
    }

    @inline(never)
    package static func valueOverrunsBody(field: String, length: Int, remaining: Int, messageType: String, offset: Int)
        -> Self
    {
        Self(
            .valueOverrunsBody,
            messageType,
            offset: offset,
            "\(field) declares \(length) bytes but only \(remaining) remain"
        )
    }

    @inline(never)
    package static func invalidValueLength(field: String, length: Int32, messageType: String, offset: Int) -> Self {
        Self(.invalidValueLength, messageType, offset: offset, "\(field) length \(length) is negative but not -1")
    }

    @inline(never)
    package static func trailingBytes(_ count: Int, messageType: String, offset: Int) -> Self {
        Self(.trailingBytes, messageType, offset: offset, "\(count) bytes follow the last field")
    }

    @inline(never)
    package static func unexpectedValue(field: String, value: String, messageType: String, offset: Int?) -> Self {
        Self(.unexpectedValue, messageType, offset: offset, "\(field) has unexpected value \(value)")
    }
}

// MARK: - Encoding

extension PostgresCodecError {
    @inline(never)
    package static func embeddedNUL(field: String, messageType: String) -> Self {
        Self(.embeddedNUL, messageType, offset: nil, "\(field) contains a NUL byte")
    }

    @inline(never)
    package static func tooManyValues(field: String, count: Int, limit: Int, messageType: String) -> Self {
        Self(.tooManyValues, messageType, offset: nil, "\(field) has \(count) entries; at most \(limit) fit the count")
    }
}
