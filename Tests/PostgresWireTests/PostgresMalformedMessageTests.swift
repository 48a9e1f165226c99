import NIOCore
import Testing

@testable import PostgresWire

/// Each way a message can be malformed, and the precise error it gives: kind, message type and offset.
@Suite("PostgreSQL malformed messages")
struct PostgresMalformedMessageTests {
    typealias Fixtures = PostgresCodecFixtures
    typealias Wire = PostgresWire

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var kind: PostgresCodecError.Kind
        var messageType: String?
        var offset: Int?

        var testDescription: String { name }
    }

    static let frontendCases: [Case] = [
        Case(
            name: "typed length word is negative",
            bytes: Wire.byte("Q") + Wire.int32(-5) + Wire.string("x"),
            kind: .negativeLength,
            messageType: "Query",
            offset: 1
        ),
        Case(
            name: "typed length word is below 4",
            bytes: Wire.byte("S") + Wire.int32(3),
            kind: .lengthTooShort,
            messageType: "Sync",
            offset: 1
        ),
        Case(
            name: "typed length word is above the configured maximum, refused before the body arrives",
            bytes: Wire.byte("Q") + Wire.int32(65),
            kind: .lengthExceedsMaximum,
            messageType: "Query",
            offset: 1
        ),
        Case(
            name: "unknown type byte",
            bytes: Wire.byte("z") + Wire.int32(4),
            kind: .unknownMessageType,
            messageType: nil,
            offset: 0
        ),
        Case(
            name: "a backend-only type byte sent by a client",
            bytes: Wire.typed("Z", Wire.byte("I")),
            kind: .unknownMessageType,
            messageType: nil,
            offset: 0
        ),
        Case(
            name: "string without its NUL terminator",
            bytes: Wire.typed("Q", Array("SELECT 1".utf8)),
            kind: .missingNULTerminator,
            messageType: "Query",
            offset: 5
        ),
        Case(
            name: "fixed-size field cut short",
            bytes: Wire.typed("E", Wire.string("") + [0, 0]),
            kind: .truncatedField,
            messageType: "Execute",
            offset: 6
        ),
        Case(
            name: "parameter count larger than the body can hold",
            bytes: Wire.typed("B", Wire.string("") + Wire.string("") + Wire.int16(0) + Wire.int16(3) + Wire.int32(-1)),
            kind: .countOverrunsBody,
            messageType: "Bind",
            offset: 9
        ),
        Case(
            name: "parameter value longer than the body",
            bytes: Wire.typed("B", Wire.string("") + Wire.string("") + Wire.int16(0) + Wire.int16(1) + Wire.int32(100)),
            kind: .valueOverrunsBody,
            messageType: "Bind",
            offset: 11
        ),
        Case(
            name: "parameter length negative but not -1",
            bytes: Wire.typed(
                "B",
                Wire.string("") + Wire.string("") + Wire.int16(0) + Wire.int16(1) + Wire.int32(-2) + Wire.int16(0)
            ),
            kind: .invalidValueLength,
            messageType: "Bind",
            offset: 11
        ),
        Case(
            name: "format code other than text or binary",
            bytes: Wire.typed(
                "B",
                Wire.string("") + Wire.string("") + Wire.int16(1) + Wire.int16(2) + Wire.int16(0) + Wire.int16(0)
            ),
            kind: .unexpectedValue,
            messageType: "Bind",
            offset: 9
        ),
        Case(
            name: "two parameter formats for three parameters",
            bytes: Wire.typed(
                "B",
                Wire.string("") + Wire.string("") + Wire.int16(2) + Wire.int16(0) + Wire.int16(1) + Wire.int16(3)
                    + Wire.int32(-1) + Wire.int32(-1) + Wire.int32(-1) + Wire.int16(0)
            ),
            kind: .unexpectedValue,
            messageType: "Bind",
            offset: 7
        ),
        Case(
            name: "trailing bytes after the last field",
            bytes: Wire.typed("S", [0]),
            kind: .trailingBytes,
            messageType: "Sync",
            offset: 5
        ),
        Case(
            name: "trailing bytes after a string",
            bytes: Wire.typed("Q", Wire.string("SELECT 1") + Array("; DROP TABLE t".utf8)),
            kind: .trailingBytes,
            messageType: "Query",
            offset: 14
        ),
        Case(
            name: "Describe of something neither statement nor portal",
            bytes: Wire.typed("D", Wire.byte("X") + Wire.string("s")),
            kind: .unexpectedValue,
            messageType: "Describe",
            offset: 5
        ),
        Case(
            name: "Parse type count larger than the body can hold",
            bytes: Wire.typed("P", Wire.string("") + Wire.string("SELECT $1") + Wire.int16(2) + Wire.int32(23)),
            kind: .countOverrunsBody,
            messageType: "Parse",
            offset: 16
        ),
    ]

    static let startupCases: [Case] = [
        Case(
            name: "startup length word is negative",
            bytes: Wire.int32(-8) + Wire.int32(196_608),
            kind: .negativeLength,
            messageType: "StartupMessage",
            offset: 0
        ),
        Case(
            name: "startup length word is below 8",
            bytes: Wire.int32(7) + Wire.int32(196_608),
            kind: .lengthTooShort,
            messageType: "StartupMessage",
            offset: 0
        ),
        Case(
            name: "startup packet longer than the server's 10000-byte limit",
            bytes: Wire.int32(10_001) + Wire.int32(196_608),
            kind: .lengthExceedsMaximum,
            messageType: "StartupMessage",
            offset: 0
        ),
        Case(
            name: "unknown startup code",
            bytes: Wire.untyped(code: 1234 << 16 | 1111, []),
            kind: .unknownRequestCode,
            messageType: nil,
            offset: 4
        ),
        Case(
            name: "protocol version 2",
            bytes: Wire.untyped(code: 2 << 16, Wire.string("user") + Wire.string("u") + [0]),
            kind: .unknownRequestCode,
            messageType: nil,
            offset: 4
        ),
        Case(
            name: "startup parameters without the final terminator",
            bytes: Wire.untyped(code: 196_608, Wire.string("user") + Wire.string("u")),
            kind: .missingNULTerminator,
            messageType: "StartupMessage",
            offset: 15
        ),
        Case(
            name: "startup parameter name without its value",
            bytes: Wire.untyped(code: 196_608, Wire.string("user")),
            kind: .missingNULTerminator,
            messageType: "StartupMessage",
            offset: 13
        ),
        Case(
            name: "bytes after the startup terminator",
            bytes: Wire.untyped(code: 196_608, Wire.string("user") + Wire.string("u") + [0, 0]),
            kind: .trailingBytes,
            messageType: "StartupMessage",
            offset: 16
        ),
        Case(
            name: "SSLRequest with a body",
            bytes: Wire.untyped(code: 80_877_103, [0]),
            kind: .trailingBytes,
            messageType: "SSLRequest",
            offset: 8
        ),
        Case(
            name: "CancelRequest without its process ID",
            bytes: Wire.untyped(code: 80_877_102, [0, 0]),
            kind: .truncatedField,
            messageType: "CancelRequest",
            offset: 8
        ),
        Case(
            name: "CancelRequest with a 3-byte key",
            bytes: Wire.untyped(code: 80_877_102, Wire.int32(1) + [1, 2, 3]),
            kind: .unexpectedValue,
            messageType: "CancelRequest",
            offset: 12
        ),
    ]

    static let backendCases: [Case] = [
        Case(
            name: "unknown backend type byte",
            bytes: Wire.typed("x", []),
            kind: .unknownMessageType,
            messageType: nil,
            offset: 0
        ),
        Case(
            name: "ReadyForQuery with an unknown status",
            bytes: Wire.typed("Z", Wire.byte("X")),
            kind: .unexpectedValue,
            messageType: "ReadyForQuery",
            offset: 5
        ),
        Case(
            name: "ReadyForQuery without its status",
            bytes: Wire.typed("Z", []),
            kind: .truncatedField,
            messageType: "ReadyForQuery",
            offset: 5
        ),
        Case(
            name: "DataRow column count larger than the body can hold",
            bytes: Wire.typed("D", Wire.int16(2) + Wire.int32(-1)),
            kind: .countOverrunsBody,
            messageType: "DataRow",
            offset: 5
        ),
        Case(
            name: "DataRow value longer than the body",
            bytes: Wire.typed("D", Wire.int16(1) + Wire.int32(10) + [1, 2]),
            kind: .valueOverrunsBody,
            messageType: "DataRow",
            offset: 7
        ),
        Case(
            name: "DataRow value length -7",
            bytes: Wire.typed("D", Wire.int16(1) + Wire.int32(-7)),
            kind: .invalidValueLength,
            messageType: "DataRow",
            offset: 7
        ),
        Case(
            name: "DataRow with a byte after the last column",
            bytes: Wire.typed("D", Wire.int16(1) + Wire.int32(-1) + [0]),
            kind: .trailingBytes,
            messageType: "DataRow",
            offset: 11
        ),
        Case(
            name: "RowDescription field count larger than the body can hold",
            bytes: Wire.typed("T", Wire.int16(1) + Wire.string("id")),
            kind: .countOverrunsBody,
            messageType: "RowDescription",
            offset: 5
        ),
        Case(
            name: "ErrorResponse without the terminating zero",
            bytes: Wire.typed("E", Wire.byte("S") + Wire.string("ERROR")),
            kind: .missingNULTerminator,
            messageType: "ErrorResponse",
            offset: 12
        ),
        Case(
            name: "ErrorResponse value without its NUL",
            bytes: Wire.typed("E", Wire.byte("S") + Array("ERROR".utf8)),
            kind: .missingNULTerminator,
            messageType: "ErrorResponse",
            offset: 6
        ),
        Case(
            name: "SASL mechanism list without its terminator",
            bytes: Wire.typed("R", Wire.int32(10) + Wire.string("SCRAM-SHA-256")),
            kind: .missingNULTerminator,
            messageType: "Authentication",
            offset: 23
        ),
        Case(
            name: "MD5 request without its salt",
            bytes: Wire.typed("R", Wire.int32(5) + [1, 2]),
            kind: .truncatedField,
            messageType: "Authentication",
            offset: 9
        ),
        Case(
            name: "AuthenticationOk with trailing bytes",
            bytes: Wire.typed("R", Wire.int32(0) + [0]),
            kind: .trailingBytes,
            messageType: "Authentication",
            offset: 9
        ),
        Case(
            name: "BackendKeyData with a 257-byte key",
            bytes: Wire.typed("K", Wire.int32(1) + [UInt8](repeating: 1, count: 257)),
            kind: .unexpectedValue,
            messageType: "BackendKeyData",
            offset: 9
        ),
        Case(
            name: "NegotiateProtocolVersion with a negative option count",
            bytes: Wire.typed("v", Wire.int32(0) + Wire.int32(-1)),
            kind: .unexpectedValue,
            messageType: "NegotiateProtocolVersion",
            offset: 9
        ),
        Case(
            name: "NegotiateProtocolVersion option count larger than the body can hold",
            bytes: Wire.typed("v", Wire.int32(0) + Wire.int32(1_000_000) + Wire.string("x")),
            kind: .countOverrunsBody,
            messageType: "NegotiateProtocolVersion",
            offset: 9
        ),
        Case(
            name: "CopyOutResponse with an overall format of 2",
            bytes: Wire.typed("H", Wire.int8(2) + Wire.int16(0)),
            kind: .unexpectedValue,
            messageType: "CopyOutResponse",
            offset: 5
        ),
        Case(
            name: "text CopyInResponse with a binary column",
            bytes: Wire.typed("G", Wire.int8(0) + Wire.int16(1) + Wire.int16(1)),
            kind: .unexpectedValue,
            messageType: "CopyInResponse",
            offset: 6
        ),
        Case(
            name: "FunctionCallResponse value longer than the body",
            bytes: Wire.typed("V", Wire.int32(4) + [1]),
            kind: .valueOverrunsBody,
            messageType: "FunctionCallResponse",
            offset: 5
        ),
    ]

    @Test("typed frontend messages", arguments: frontendCases)
    func frontend(_ malformed: Case) throws {
        let error = Fixtures.decodingError(
            malformed.bytes, with: try Fixtures.typedFrontendDecoder(maximumMessageLength: 64))
        expect(error, matches: malformed)
    }

    @Test("startup-phase packets", arguments: startupCases)
    func startupPhase(_ malformed: Case) {
        expect(Fixtures.decodingError(malformed.bytes, with: PostgresFrontendDecoder()), matches: malformed)
    }

    @Test("backend messages", arguments: backendCases)
    func backend(_ malformed: Case) {
        expect(Fixtures.decodingError(malformed.bytes, with: PostgresBackendDecoder()), matches: malformed)
    }

    @Test("a connection that closes inside a message")
    func closedMidMessage() throws {
        let partial = Array(try Fixtures.encode([.commandComplete(tag: "SELECT 1")]).readableBytesView.dropLast(3))
        let error = Fixtures.decodingError(partial, with: PostgresBackendDecoder())
        #expect(error?.kind == .incompleteMessageAtEOF)
        let startupError = Fixtures.decodingError([0, 0, 0], with: PostgresFrontendDecoder())
        #expect(startupError?.kind == .incompleteMessageAtEOF)
    }

    @Test("a message split across reads is waited for, not refused")
    func partialIsNotAnError() throws {
        var decoder = PostgresBackendDecoder()
        var bytes = Fixtures.buffer(Wire.typed("C", Wire.string("SELECT 1")).dropLast(1))
        #expect(try decoder.decode(buffer: &bytes) == nil)
        #expect(bytes.readerIndex == 0)
    }

    @Test("every kind of error reads as a sentence with its location")
    func description() {
        let error = Fixtures.decodingError(Wire.typed("Z", Wire.byte("X")), with: PostgresBackendDecoder())
        #expect(
            error?.description
                == "unexpectedValue in ReadyForQuery at offset 5: transaction status has unexpected value 'X' (0x58)"
        )
    }

    private func expect(
        _ error: PostgresCodecError?,
        matches malformed: Case,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(
            error?.kind == malformed.kind, "\(error.map(String.init(describing:)) ?? "no error")",
            sourceLocation: sourceLocation)
        #expect(error?.messageType == malformed.messageType, sourceLocation: sourceLocation)
        #expect(error?.offset == malformed.offset, sourceLocation: sourceLocation)
    }
}
