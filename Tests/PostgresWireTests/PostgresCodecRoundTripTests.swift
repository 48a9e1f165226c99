import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@testable import PostgresWire

@Suite("PostgreSQL codec round trips")
struct PostgresCodecRoundTripTests {
    typealias Fixtures = PostgresCodecFixtures

    @Test("the fixtures hold every frontend and backend message type")
    func fixturesCoverEveryType() throws {
        let frontendTypes = try Set(
            Fixtures.frontendTyped.map { try Fixtures.encode([$0]).getInteger(at: 0) as UInt8? })
        #expect(frontendTypes == Set(PostgresFrontendMessage.MessageType.allCases.map(\.rawValue)))
        #expect(Set(Fixtures.backend.map(\.messageType)) == Set(PostgresBackendMessage.MessageType.allCases))
    }

    @Test("every typed frontend message survives encoder then decoder", arguments: Fixtures.frontendTyped)
    func frontendTyped(message: PostgresFrontendMessage) throws {
        var decoder = try Fixtures.typedFrontendDecoder()
        #expect(try Fixtures.decodeAll(Fixtures.encode([message]), with: &decoder) == [message])
    }

    @Test("every startup-phase packet survives encoder then decoder", arguments: Fixtures.frontendStartupPhase)
    func frontendStartupPhase(message: PostgresFrontendMessage) throws {
        var decoder = PostgresFrontendDecoder()
        #expect(try Fixtures.decodeAll(Fixtures.encode([message]), with: &decoder) == [message])
    }

    @Test("every backend message survives encoder then decoder", arguments: Fixtures.backend)
    func backend(message: PostgresBackendMessage) throws {
        var decoder = PostgresBackendDecoder()
        #expect(try Fixtures.decodeAll(Fixtures.encode([message]), with: &decoder) == [message])
    }

    @Test("the backend stream decodes the same however it is split")
    func backendSplits() throws {
        let pairs = try Fixtures.backend.map { (try Fixtures.encode([$0]), [$0]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) { PostgresBackendDecoder() }
    }

    @Test("the typed frontend stream decodes the same however it is split")
    func frontendSplits() throws {
        let pairs = try Fixtures.frontendTyped.map { (try Fixtures.encode([$0]), [$0]) }
        try ByteToMessageDecoderVerifier.verifyDecoder(inputOutputPairs: pairs) {
            try! Fixtures.typedFrontendDecoder()
        }
    }

    @Test("known wire bytes: a Query and a DataRow with a NULL, byte for byte")
    func knownBytes() throws {
        #expect(
            Array(try Fixtures.encode([.query("SELECT 1")]).readableBytesView)
                == [0x51, 0, 0, 0, 13] + Array("SELECT 1".utf8) + [0]
        )
        #expect(
            Array(try Fixtures.encode([.dataRow([Fixtures.buffer("ab"), nil])]).readableBytesView)
                == [0x44, 0, 0, 0, 16, 0, 2, 0, 0, 0, 2, 0x61, 0x62, 0xFF, 0xFF, 0xFF, 0xFF]
        )
        #expect(
            Array(try Fixtures.encode([.sslRequest]).readableBytesView) == [0, 0, 0, 8, 0x04, 0xD2, 0x16, 0x2F]
        )
    }

    @Test("a Bind with 65535 parameters, the most its unsigned count allows, round trips")
    func maximumParameterCount() throws {
        let bind = PostgresFrontendMessage.bind(
            .init(
                portal: "",
                statement: "s",
                parameterFormats: [.binary],
                parameters: Array(repeating: nil, count: 65535),
                resultFormats: []
            )
        )
        var decoder = try Fixtures.typedFrontendDecoder()
        #expect(try Fixtures.decodeAll(Fixtures.encode([bind]), with: &decoder) == [bind])
    }

    @Test("the encoders work as pipeline handlers next to the decoders")
    func pipeline() throws {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandlers([
            ByteToMessageHandler(PostgresBackendDecoder()),
            MessageToByteHandler(PostgresFrontendEncoder()),
        ])
        try channel.writeOutbound(PostgresFrontendMessage.sync)
        let written = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(Array(written.readableBytesView) == [0x53, 0, 0, 0, 4])

        try channel.writeInbound(try Fixtures.encode([.readyForQuery(.idle)]))
        #expect(try channel.readInbound(as: PostgresBackendMessage.self) == .readyForQuery(.idle))
        #expect(try channel.finish().isClean)
    }

    @Test("Bind resolves each parameter's format by the none/one/each rule")
    func bindFormats() {
        var bind = PostgresFrontendMessage.Bind(
            portal: "",
            statement: "",
            parameterFormats: [],
            parameters: [nil, nil],
            resultFormats: []
        )
        #expect(bind.parameterFormat(at: 1) == .text)
        bind.parameterFormats = [.binary]
        #expect(bind.parameterFormat(at: 1) == .binary)
        bind.parameterFormats = [.binary, .text]
        #expect(bind.parameterFormat(at: 1) == .text)
    }

    @Test("diagnostic helpers prefer the untranslated severity")
    func diagnosticHelpers() throws {
        guard case .errorResponse(let diagnostic) = Fixtures.backend.first(where: { $0.messageType == .errorResponse })
        else {
            Issue.record("no ErrorResponse fixture")
            return
        }
        #expect(diagnostic.severity == "ERROR")
        #expect(diagnostic.sqlState == SQLState(rawValue: "42P01"))
        #expect(diagnostic.message == "relation \"nope\" does not exist")
        #expect(diagnostic.detail == nil)
        let notice = PostgresBackendMessage.Diagnostic(fields: [.init(code: .severity, value: "NOTICE")])
        #expect(notice.severity == "NOTICE")
    }

    @Test("the startup message reports the value the server would use for a repeated parameter")
    func startupParameters() {
        let startup = PostgresFrontendMessage.StartupMessage(
            protocolVersion: .v3_0,
            parameters: [.init(name: "user", value: "a"), .init(name: "user", value: "b")]
        )
        #expect(startup.value(of: "user") == "b")
        #expect(startup.value(of: "database") == nil)
    }
}
