import Masking
import NIOCore
import PostgresWire

@testable import Broker

/// Builders for result-masking tests: fields as the wire carries them, binary values in PostgreSQL's send formats,
/// and maskers for a resource with column rules (`users.name` hash, `users.ssn` redact, `*.email` partial) and one
/// with detectors only.
enum PostgresMaskingFixtures {
    static let usersOID: UInt32 = 16_400
    static let ordersOID: UInt32 = 16_500
    static let viewOID: UInt32 = 16_600
    static let nameAttribute: Int16 = 2
    static let ssnAttribute: Int16 = 3
    static let noteAttribute: Int16 = 4

    static let rules = [
        ColumnRule(table: "users", column: "name", strategy: .hash),
        ColumnRule(table: "users", column: "ssn", strategy: .redact),
        ColumnRule(table: nil, column: "email", strategy: .partial()),
    ]

    static func masker(rules: [ColumnRule] = rules, strategy: MaskingStrategy = .hash) throws -> ValueMasker {
        ValueMasker(
            policy: try MaskingPolicy(
                detectors: [.email, .usSSN, .paymentCard], strategy: strategy, columns: rules, custom: []),
            key: MaskingKey(bytes: Array(repeating: 9, count: 32)))
    }

    /// The snapshot the catalog query would give: users and orders are trusted tables, the view is not a table.
    static let provenance = PostgresColumnProvenance(
        tables: [usersOID, ordersOID],
        ruled: [
            .init(table: usersOID, attribute: nameAttribute): rules[0],
            .init(table: usersOID, attribute: ssnAttribute): rules[1],
        ])

    static func ruledMasker() throws -> PostgresResultMasker {
        PostgresResultMasker(masker: try masker(), provenance: provenance)
    }

    static func detectingMasker() throws -> PostgresResultMasker {
        PostgresResultMasker(masker: try masker(rules: []))
    }

    static func field(
        _ name: String, table: UInt32 = 0, attribute: Int16 = 0, type: UInt32 = 25, format: PostgresFormat = .text
    ) throws -> PostgresBackendMessage.FieldDescription {
        var bytes = ByteBuffer(string: name + "\0")
        bytes.writeInteger(table)
        bytes.writeInteger(attribute)
        bytes.writeInteger(type)
        bytes.writeInteger(Int16(-1))
        bytes.writeInteger(Int32(-1))
        bytes.writeInteger(format.rawValue)
        var reader = PostgresMessageReader(body: bytes, messageType: "T", headerLength: 0)
        return try PostgresBackendMessage.FieldDescription(from: &reader)
    }

    /// A one-dimensional binary array of `elementType` (`array_send`).
    static func binaryArray(_ elements: [String?], elementType: UInt32 = 25) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int32(1))
        buffer.writeInteger(Int32(elements.contains(nil) ? 1 : 0))
        buffer.writeInteger(elementType)
        buffer.writeInteger(Int32(elements.count))
        buffer.writeInteger(Int32(1))
        for element in elements {
            guard let element else {
                buffer.writeInteger(Int32(-1))
                continue
            }
            buffer.writeInteger(Int32(element.utf8.count))
            buffer.writeString(element)
        }
        return buffer
    }

    /// The text elements of a one-dimensional binary array, or nil when it is malformed.
    static func decodeArray(_ value: ByteBuffer) -> [String?]? {
        var reader = value
        guard reader.readInteger(as: Int32.self) == 1, reader.readInteger(as: Int32.self) != nil,
            reader.readInteger(as: UInt32.self) != nil, let count = reader.readInteger(as: Int32.self),
            reader.readInteger(as: Int32.self) != nil
        else { return nil }
        var elements: [String?] = []
        for _ in 0..<count {
            guard let length = reader.readInteger(as: Int32.self) else { return nil }
            if length == -1 {
                elements.append(nil)
                continue
            }
            guard let text = reader.readString(length: Int(length)) else { return nil }
            elements.append(text)
        }
        return reader.readableBytes == 0 ? elements : nil
    }

    /// A binary anonymous record (`record_send`) of text fields.
    static func binaryRecord(_ fields: [String]) -> ByteBuffer {
        var buffer = ByteBuffer()
        buffer.writeInteger(Int32(fields.count))
        for field in fields {
            buffer.writeInteger(UInt32(25))
            buffer.writeInteger(Int32(field.utf8.count))
            buffer.writeString(field)
        }
        return buffer
    }

    /// Feeds messages through `masker` and returns what the client would receive.
    static func run(_ masker: PostgresResultMasker, _ messages: [PostgresBackendMessage]) -> [PostgresBackendMessage] {
        var out: [PostgresBackendMessage] = []
        for message in messages {
            switch masker.process(message) {
            case .pass(let one): out.append(one)
            case .replace(let several): out += several
            case .drop: break
            }
        }
        return out
    }

    /// Every text a client could read out of `messages`, for leak checks.
    static func visibleText(_ messages: [PostgresBackendMessage]) -> String {
        messages.map { message -> String in
            switch message {
            case .dataRow(let cells):
                cells.map { $0.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? "" }
                    .joined(separator: "|")
            case .copyData(let data): String(buffer: data)
            case .errorResponse(let diagnostic), .noticeResponse(let diagnostic):
                diagnostic.fields.map(\.value).joined(separator: "|")
            case .notificationResponse(_, let channel, let payload): channel + "|" + payload
            case .parameterStatus(let name, let value): name + "=" + value
            case .functionCallResponse(let value): value.map { String(buffer: $0) } ?? ""
            default: ""
            }
        }.joined(separator: "\n")
    }

    static func cells(_ messages: [PostgresBackendMessage]) -> [[ByteBuffer?]] {
        messages.compactMap { if case .dataRow(let row) = $0 { row } else { nil } }
    }

    static func refused(_ messages: [PostgresBackendMessage]) -> Bool {
        messages.contains {
            if case .errorResponse(let diagnostic) = $0 {
                diagnostic.message?.contains("refused") == true
            } else {
                false
            }
        }
    }
}
