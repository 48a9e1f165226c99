import NIOCore
import Testing

@testable import PostgresWire

/// Values the encoders refuse because the peer would read them back differently, and the buffer they leave behind.
@Suite("PostgreSQL encoder refusals")
struct PostgresEncoderRefusalTests {
    typealias Fixtures = PostgresCodecFixtures

    func frontendError(_ message: PostgresFrontendMessage) -> PostgresCodecError? {
        #expect(throws: PostgresCodecError.self) { _ = try Fixtures.encode([message]) }
    }

    func backendError(_ message: PostgresBackendMessage) -> PostgresCodecError? {
        #expect(throws: PostgresCodecError.self) { _ = try Fixtures.encode([message]) }
    }

    @Test("a NUL inside a string would end it early and smuggle the rest in as the next field")
    func embeddedNUL() {
        let error = frontendError(.query("SELECT 1\0; DROP TABLE users"))
        #expect(error?.kind == .embeddedNUL)
        #expect(error?.messageType == "Query")
        #expect(backendError(.commandComplete(tag: "SELECT\01"))?.kind == .embeddedNUL)
    }

    @Test("more values than a 16-bit count can say")
    func tooManyValues() {
        let row = PostgresBackendMessage.dataRow(Array(repeating: nil, count: 65536))
        #expect(backendError(row)?.kind == .tooManyValues)
    }

    @Test("an empty entry would end its list")
    func emptyListEntries() {
        let startup = PostgresFrontendMessage.startup(
            .init(protocolVersion: .v3_0, parameters: [.init(name: "", value: "x")])
        )
        #expect(frontendError(startup)?.kind == .unexpectedValue)
        #expect(backendError(.authentication(.sasl(mechanisms: [""])))?.kind == .unexpectedValue)
        let terminator = PostgresBackendMessage.Diagnostic(fields: [.init(code: .init(rawValue: 0), value: "x")])
        #expect(backendError(.errorResponse(terminator))?.kind == .unexpectedValue)
    }

    @Test("values outside their domain would be read back as something else")
    func outOfDomain() {
        #expect(backendError(.authentication(.unsupported(code: 0, data: ByteBuffer())))?.kind == .unexpectedValue)
        #expect(backendError(.backendKeyData(processID: 1, secretKey: ByteBuffer()))?.kind == .unexpectedValue)
        #expect(
            frontendError(.cancelRequest(processID: 1, secretKey: ByteBuffer(bytes: [1])))?.kind == .unexpectedValue)
        let copy = PostgresBackendMessage.CopyResponse(format: .text, columnFormats: [.binary])
        #expect(backendError(.copyOutResponse(copy))?.kind == .unexpectedValue)
    }

    @Test("a startup packet past the server's 10000-byte limit")
    func oversizedStartup() {
        let startup = PostgresFrontendMessage.startup(
            .init(
                protocolVersion: .v3_0,
                parameters: [.init(name: "options", value: String(repeating: "x", count: 10_000))])
        )
        #expect(frontendError(startup)?.kind == .lengthExceedsMaximum)
    }

    @Test("a refused message leaves the buffer as it was, so earlier messages still go out whole")
    func rollback() throws {
        var out = ByteBuffer()
        try PostgresFrontendEncoder().encode(data: .sync, out: &out)
        #expect(throws: PostgresCodecError.self) {
            try PostgresFrontendEncoder().encode(data: .query("a\0b"), out: &out)
        }
        #expect(Array(out.readableBytesView) == [0x53, 0, 0, 0, 4])
    }
}
