import NIOCore
import Testing

@testable import PostgresWire

@Suite("PostgreSQL 'p' message readings")
struct PostgresPasswordFamilyTests {
    typealias Fixtures = PostgresCodecFixtures
    typealias Wire = PostgresWire

    @Test("one body, read as the authentication exchange dictates")
    func readings() throws {
        let body = Fixtures.buffer(Wire.string("SCRAM-SHA-256") + Wire.int32(3) + Array("n,,".utf8))
        #expect(
            try PostgresPasswordFamilyMessage(body: body, as: .saslInitialResponse)
                == .saslInitialResponse(.init(mechanism: "SCRAM-SHA-256", data: Fixtures.buffer("n,,")))
        )
        #expect(try PostgresPasswordFamilyMessage(body: body, as: .saslResponse) == .saslResponse(body))
        #expect(try PostgresPasswordFamilyMessage(body: body, as: .gssResponse) == .gssResponse(body))
        // As a password it has bytes after the string.
        let error = #expect(throws: PostgresCodecError.self) {
            try PostgresPasswordFamilyMessage(body: body, as: .password)
        }
        #expect(error?.kind == .trailingBytes)
        #expect(error?.messageType == "PasswordMessage")
        #expect(error?.offset == 19)
    }

    @Test("a SASLInitialResponse without initial data is not one with empty data")
    func absentInitialData() throws {
        let absent = Fixtures.buffer(Wire.string("SCRAM-SHA-256") + Wire.int32(-1))
        let empty = Fixtures.buffer(Wire.string("SCRAM-SHA-256") + Wire.int32(0))
        #expect(
            try PostgresPasswordFamilyMessage(body: absent, as: .saslInitialResponse)
                == .saslInitialResponse(.init(mechanism: "SCRAM-SHA-256", data: nil))
        )
        #expect(
            try PostgresPasswordFamilyMessage(body: empty, as: .saslInitialResponse)
                == .saslInitialResponse(.init(mechanism: "SCRAM-SHA-256", data: ByteBuffer()))
        )
    }

    @Test(
        "every reading round trips through a 'p' message and the frontend codec",
        arguments: [
            PostgresPasswordFamilyMessage.password("md5a3556571e93b0d20722ba62be61e8c2d"),
            .saslInitialResponse(.init(mechanism: "SCRAM-SHA-256", data: ByteBuffer(string: "n,,n=,r=abc"))),
            .saslInitialResponse(.init(mechanism: "SCRAM-SHA-256", data: nil)),
            .saslResponse(ByteBuffer(string: "c=biws,r=abc,p=xyz")),
            .gssResponse(ByteBuffer(bytes: [0x60, 0x82])),
        ])
    func roundTrip(reading: PostgresPasswordFamilyMessage) throws {
        var decoder = try Fixtures.typedFrontendDecoder()
        let messages = try Fixtures.decodeAll(Fixtures.encode([try reading.message()]), with: &decoder)
        guard case .passwordFamily(let body) = messages.first, messages.count == 1 else {
            Issue.record("expected one 'p' message, got \(messages)")
            return
        }
        #expect(try PostgresPasswordFamilyMessage(body: body, as: reading.kind) == reading)
    }

    @Test("a SASLInitialResponse whose data overruns the body")
    func overrun() {
        let body = Fixtures.buffer(Wire.string("SCRAM-SHA-256") + Wire.int32(50) + [1])
        let error = #expect(throws: PostgresCodecError.self) {
            try PostgresPasswordFamilyMessage(body: body, as: .saslInitialResponse)
        }
        #expect(error?.kind == .valueOverrunsBody)
        #expect(error?.offset == 19)
    }

    @Test("a password with a NUL inside cannot be sent")
    func passwordWithNUL() {
        let error = #expect(throws: PostgresCodecError.self) {
            try PostgresPasswordFamilyMessage.password("pass\0word").message()
        }
        #expect(error?.kind == .embeddedNUL)
    }
}
