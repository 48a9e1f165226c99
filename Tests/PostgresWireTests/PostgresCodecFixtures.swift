import NIOCore
import Testing

@testable import PostgresWire

/// Messages, wire-byte builders and decode helpers shared by the codec tests.
enum PostgresCodecFixtures {
    static func buffer(_ bytes: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: bytes)
    }

    static func buffer(_ string: String) -> ByteBuffer {
        ByteBuffer(string: string)
    }

    // MARK: - Messages, one or more of every kind

    static let startup = PostgresFrontendMessage.startup(
        .init(
            protocolVersion: .v3_0,
            parameters: [
                .init(name: "user", value: "alice"),
                .init(name: "database", value: "app"),
                .init(name: "application_name", value: "psql ✓"),
            ]
        )
    )

    /// Every typed frontend message, with the edge cases that matter: NULL next to an empty value, unnamed
    /// statements and portals, non-ASCII text.
    static let frontendTyped: [PostgresFrontendMessage] = [
        .query("SELECT 1; SELECT 'ünïcödé'"),
        .query(""),
        .parse(.init(name: "s1", query: "SELECT $1::int, $2", parameterTypeOIDs: [23, 0])),
        .parse(.init(name: "", query: "SELECT 1", parameterTypeOIDs: [])),
        .bind(
            .init(
                portal: "p1",
                statement: "s1",
                parameterFormats: [.text, .binary],
                parameters: [buffer("42"), nil],
                resultFormats: [.binary]
            )
        ),
        .bind(
            .init(portal: "", statement: "", parameterFormats: [], parameters: [buffer(""), nil], resultFormats: [])),
        .describe(.statement, name: "s1"),
        .describe(.portal, name: ""),
        .execute(portal: "p1", maxRows: 100),
        .execute(portal: "", maxRows: 0),
        .sync,
        .flush,
        .close(.statement, name: "s1"),
        .close(.portal, name: "p1"),
        .copyData(buffer("1\talice\n")),
        .copyData(buffer([])),
        .copyDone,
        .copyFail(message: "client gave up"),
        .functionCall(
            .init(
                functionOID: 1598, argumentFormats: [.binary], arguments: [buffer([0, 0, 0, 1]), nil],
                resultFormat: .binary)),
        .passwordFamily(buffer("secret\0")),
        .terminate,
    ]

    static let frontendStartupPhase: [PostgresFrontendMessage] = [
        startup,
        .startup(.init(protocolVersion: .v3_2, parameters: [.init(name: "user", value: "bob")])),
        .startup(.init(protocolVersion: .v3_0, parameters: [])),
        .sslRequest,
        .gssEncRequest,
        .cancelRequest(processID: 4242, secretKey: buffer([1, 2, 3, 4])),
        .cancelRequest(processID: -1, secretKey: buffer([UInt8](repeating: 7, count: 256))),
    ]

    /// Every backend message, and every authentication request.
    static let backend: [PostgresBackendMessage] = [
        .authentication(.ok),
        .authentication(.cleartextPassword),
        .authentication(.md5Password(salt: 0xDEAD_BEEF)),
        .authentication(.sasl(mechanisms: ["SCRAM-SHA-256-PLUS", "SCRAM-SHA-256"])),
        .authentication(.saslContinue(data: buffer("r=abc,s=c2FsdA==,i=4096"))),
        .authentication(.saslFinal(data: buffer("v=c2lnbmF0dXJl"))),
        .authentication(.unsupported(code: 7, data: buffer([]))),
        .authentication(.unsupported(code: 8, data: buffer([1, 2, 3]))),
        .parameterStatus(name: "server_version", value: "15.8"),
        .backendKeyData(processID: 31337, secretKey: buffer([9, 8, 7, 6])),
        .backendKeyData(processID: 1, secretKey: buffer([UInt8](repeating: 0xAB, count: 32))),
        .readyForQuery(.idle),
        .readyForQuery(.inTransaction),
        .readyForQuery(.failed),
        .negotiateProtocolVersion(newestMinorVersion: 0, unrecognizedOptions: ["_pq_.compression"]),
        .negotiateProtocolVersion(newestMinorVersion: 2, unrecognizedOptions: []),
        .rowDescription([
            .init(
                name: "id",
                tableOID: 16384,
                columnAttributeNumber: 1,
                dataTypeOID: 23,
                dataTypeSize: 4,
                typeModifier: -1,
                format: .text
            ),
            .init(
                name: "émail",
                tableOID: 0,
                columnAttributeNumber: 0,
                dataTypeOID: 25,
                dataTypeSize: -1,
                typeModifier: -1,
                format: .binary
            ),
        ]),
        .rowDescription([]),
        .dataRow([buffer("1"), nil, buffer(""), buffer([0, 0xFF, 0])]),
        .dataRow([]),
        .commandComplete(tag: "SELECT 1"),
        .emptyQueryResponse,
        .errorResponse(
            .init(fields: [
                .init(code: .severity, value: "FEHLER"),
                .init(code: .severityNonLocalized, value: "ERROR"),
                .init(code: .sqlState, value: "42P01"),
                .init(code: .message, value: "relation \"nope\" does not exist"),
                .init(code: .init(rawValue: UInt8(ascii: "P")), value: "15"),
            ])
        ),
        .noticeResponse(.init(fields: [.init(code: .severity, value: "NOTICE"), .init(code: .detail, value: "d")])),
        .noticeResponse(.init(fields: [])),
        .notificationResponse(processID: 77, channel: "jobs", payload: "{\"id\": 1}"),
        .parseComplete,
        .bindComplete,
        .closeComplete,
        .noData,
        .portalSuspended,
        .parameterDescription(typeOIDs: [23, 25, 0xFFFF_FFFF]),
        .copyInResponse(.init(format: .text, columnFormats: [.text, .text])),
        .copyOutResponse(.init(format: .binary, columnFormats: [.binary, .text])),
        .copyBothResponse(.init(format: .text, columnFormats: [])),
        .copyData(buffer("1\talice\n")),
        .copyDone,
        .functionCallResponse(buffer([0, 0, 0, 2])),
        .functionCallResponse(nil),
    ]

    // MARK: - Encoding and decoding

    static func encode(_ messages: [PostgresFrontendMessage]) throws -> ByteBuffer {
        var out = ByteBuffer()
        for message in messages {
            try PostgresFrontendEncoder().encode(data: message, out: &out)
        }
        return out
    }

    static func encode(_ messages: [PostgresBackendMessage]) throws -> ByteBuffer {
        var out = ByteBuffer()
        for message in messages {
            try PostgresBackendEncoder().encode(data: message, out: &out)
        }
        return out
    }

    /// A frontend decoder past the startup phase, for feeding typed messages directly.
    static func typedFrontendDecoder(maximumMessageLength: Int = 1 << 30) throws -> PostgresFrontendDecoder {
        var decoder = PostgresFrontendDecoder(maximumMessageLength: maximumMessageLength)
        var bytes = try encode([startup])
        #expect(try decoder.decode(buffer: &bytes) == startup)
        return decoder
    }

    /// Everything `decoder` produces from `bytes` followed by end of stream.
    static func decodeAll<Decoder: NIOSingleStepByteToMessageDecoder>(
        _ bytes: ByteBuffer,
        with decoder: inout Decoder
    ) throws -> [Decoder.InboundOut] {
        var buffer = bytes
        var messages: [Decoder.InboundOut] = []
        while let message = try decoder.decode(buffer: &buffer) {
            messages.append(message)
        }
        while let message = try decoder.decodeLast(buffer: &buffer, seenEOF: true) {
            messages.append(message)
        }
        return messages
    }

    /// The error `decoder` throws for `bytes`; records an issue if it decodes them instead.
    static func decodingError<Decoder: NIOSingleStepByteToMessageDecoder>(
        _ bytes: [UInt8],
        with decoder: Decoder,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> PostgresCodecError? {
        var decoder = decoder
        return #expect(throws: PostgresCodecError.self, sourceLocation: sourceLocation) {
            _ = try decodeAll(buffer(bytes), with: &decoder)
        }
    }
}

extension PostgresFrontendMessage {
    func encoded() throws(PostgresCodecError) -> ByteBuffer {
        var out = ByteBuffer()
        try write(into: &out)
        return out
    }
}

extension PostgresBackendMessage {
    func encoded() throws(PostgresCodecError) -> ByteBuffer {
        var out = ByteBuffer()
        try write(into: &out)
        return out
    }
}

/// Builders for hand-made wire bytes, big-endian as the protocol is.
enum PostgresWire {
    static func int8(_ value: Int8) -> [UInt8] { [UInt8(bitPattern: value)] }

    static func int16(_ value: Int16) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

    static func int32(_ value: Int32) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

    static func string(_ value: String) -> [UInt8] { Array(value.utf8) + [0] }

    static func byte(_ ascii: Unicode.Scalar) -> [UInt8] { [UInt8(ascii: ascii)] }

    /// A typed message with a correct length word.
    static func typed(_ type: Unicode.Scalar, _ body: [UInt8]) -> [UInt8] {
        byte(type) + int32(Int32(body.count + 4)) + body
    }

    /// A startup-phase packet with a correct length word.
    static func untyped(code: Int32, _ body: [UInt8]) -> [UInt8] {
        int32(Int32(body.count + 8)) + int32(code) + body
    }
}

/// SplitMix64: a tiny generator with a fixed seed, so a failing random test fails the same way every run.
struct PostgresCodecSeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
