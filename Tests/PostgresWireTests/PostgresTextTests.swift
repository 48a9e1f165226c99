import NIOCore
import Testing

@testable import PostgresWire

/// Text in the session's client encoding (LATIN1, KOI8...) must cross the broker byte for byte.
@Suite("PostgreSQL text in any client encoding")
struct PostgresTextTests {
    @Test(
        "queries, errors and row descriptions round-trip byte for byte whatever their encoding",
        arguments: [
            Array("select 'café'".utf8),  // UTF-8
            [0x73, 0x65, 0x6C, 0x65, 0x63, 0x74, 0x20, 0x27, 0x63, 0x61, 0x66, 0xE9, 0x27],  // LATIN1 'café'
            [0x27, 0xD0, 0xD2, 0xC9, 0xD7, 0xC5, 0xD4, 0x27],  // KOI8-R 'привет'
            [0xC3, 0x28, 0xFF, 0x80, 0x41],  // invalid UTF-8 of every kind
            [0x41, 0xF4, 0x8F, 0xBF, 0xBF, 0x42],  // valid UTF-8 that holds an escape scalar itself
        ] as [[UInt8]]
    )
    func roundTrip(bytes: [UInt8]) throws {
        var wire = ByteBuffer()
        wire.writeInteger(UInt8(ascii: "Q"))
        wire.writeInteger(Int32(4 + bytes.count + 1))
        wire.writeBytes(bytes)
        wire.writeInteger(UInt8(0))
        let original = wire

        var decoder = PostgresFrontendDecoder()
        var startup = ByteBuffer()
        try PostgresFrontendEncoder().encode(
            data: .startup(.init(protocolVersion: .v3_0, parameters: [.init(name: "user", value: "u")])),
            out: &startup
        )
        _ = try decoder.decode(buffer: &startup)
        let message = try #require(try decoder.decode(buffer: &wire))
        var encoded = ByteBuffer()
        try PostgresFrontendEncoder().encode(data: message, out: &encoded)
        #expect(encoded == original)
        if case .query(let text) = message {
            let plainUTF8 = String(validating: bytes, as: UTF8.self).map { !PostgresText.hasRawBytes($0) } ?? false
            #expect(PostgresText.hasRawBytes(text) == !plainUTF8)
        }
    }
}
