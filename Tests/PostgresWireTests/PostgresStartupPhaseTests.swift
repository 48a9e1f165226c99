import NIOCore
import NIOEmbedded
import Testing

@testable import PostgresWire

@Suite("PostgreSQL startup phase")
struct PostgresStartupPhaseTests {
    typealias Fixtures = PostgresCodecFixtures

    /// Feeds each flight (what a client sends before it must wait for an answer) to a fresh pipeline, split at every
    /// offset in turn and also byte by byte, and checks the messages are always the same.
    func expectFlights(_ flights: [[PostgresFrontendMessage]], sourceLocation: SourceLocation = #_sourceLocation)
        throws
    {
        let encoded = try flights.map { try Fixtures.encode($0) }
        var splittings: [[[ByteBuffer]]] = []
        for flight in encoded {
            var ways = [[flight], flight.readableBytesView.map { ByteBuffer(bytes: [$0]) }]
            for cut in 1..<flight.readableBytes {
                ways.append([
                    flight.getSlice(at: 0, length: cut)!, flight.getSlice(at: cut, length: flight.readableBytes - cut)!,
                ])
            }
            splittings.append(ways)
        }
        // Every splitting of each flight, combined with the unsplit others.
        for (index, ways) in splittings.enumerated() {
            for way in ways {
                let channel = EmbeddedChannel(handler: ByteToMessageHandler(PostgresFrontendDecoder()))
                var received: [PostgresFrontendMessage] = []
                for (other, flight) in encoded.enumerated() {
                    for chunk in other == index ? way : [flight] {
                        try channel.writeInbound(chunk)
                    }
                    while let message = try channel.readInbound(as: PostgresFrontendMessage.self) {
                        received.append(message)
                    }
                }
                #expect(received == flights.flatMap(\.self), sourceLocation: sourceLocation)
                #expect(try channel.finish().isClean, sourceLocation: sourceLocation)
            }
        }
    }

    @Test("a plain StartupMessage, then typed messages in the same flight")
    func plainStartup() throws {
        try expectFlights([[Fixtures.startup, .query("SELECT 1"), .terminate]])
    }

    @Test("SSLRequest, then the StartupMessage once the answer is in")
    func sslThenStartup() throws {
        try expectFlights([[.sslRequest], [Fixtures.startup, .query("SELECT 1")]])
    }

    @Test("GSSENCRequest refused, then SSLRequest, then the StartupMessage")
    func gssThenSSLThenStartup() throws {
        try expectFlights([[.gssEncRequest], [.sslRequest], [Fixtures.startup, .sync]])
    }

    @Test("a CancelRequest alone on its connection")
    func cancelAlone() throws {
        try expectFlights([[.cancelRequest(processID: 99, secretKey: Fixtures.buffer([0, 0, 0, 1]))]])
    }

    @Test("a protocol 3.2 StartupMessage is decoded so the broker can negotiate the version down")
    func protocol32() throws {
        var decoder = PostgresFrontendDecoder()
        let bytes = PostgresWire.untyped(
            code: 0x0003_0002, PostgresWire.string("user") + PostgresWire.string("u") + [0])
        let messages = try Fixtures.decodeAll(Fixtures.buffer(bytes), with: &decoder)
        #expect(messages == [.startup(.init(protocolVersion: .v3_2, parameters: [.init(name: "user", value: "u")]))])
    }

    @Test("after the StartupMessage a packet shaped like SSLRequest is typed garbage, not a request")
    func noStartupPacketsAfterStartup() throws {
        let sslRequest = PostgresWire.untyped(code: PostgresFrontendMessage.RequestCode.ssl, [])
        let error = Fixtures.decodingError(sslRequest, with: try Fixtures.typedFrontendDecoder())
        #expect(error?.kind == .unknownMessageType)
    }

    @Test("bytes sent together with SSLRequest are refused, not read as the startup packet (CVE-2021-23214)")
    func dataAfterSSLRequest() throws {
        let bytes = try Fixtures.encode([.sslRequest, Fixtures.startup])
        let error = Fixtures.decodingError(Array(bytes.readableBytesView), with: PostgresFrontendDecoder())
        #expect(error?.kind == .dataAfterEncryptionRequest)
        #expect(error?.messageType == "SSLRequest")
    }

    @Test("bytes sent together with GSSENCRequest are refused too")
    func dataAfterGSSENCRequest() throws {
        let bytes = try Fixtures.encode([.gssEncRequest]).readableBytesView + [0]
        let error = Fixtures.decodingError(Array(bytes), with: PostgresFrontendDecoder())
        #expect(error?.kind == .dataAfterEncryptionRequest)
        #expect(error?.messageType == "GSSENCRequest")
    }

    @Test("a second SSLRequest on one connection is refused")
    func repeatedSSLRequest() throws {
        var decoder = PostgresFrontendDecoder()
        var first = try Fixtures.encode([.sslRequest])
        #expect(try decoder.decode(buffer: &first) == .sslRequest)
        let error = Fixtures.decodingError(Array(try Fixtures.encode([.sslRequest]).readableBytesView), with: decoder)
        #expect(error?.kind == .repeatedEncryptionRequest)
    }

    @Test("anything after a CancelRequest is refused")
    func dataAfterCancel() throws {
        var bytes = try Fixtures.encode([.cancelRequest(processID: 1, secretKey: Fixtures.buffer([1, 2, 3, 4]))])
        bytes.writeInteger(UInt8(0))
        var decoder = PostgresFrontendDecoder()
        #expect(try decoder.decode(buffer: &bytes) != nil)
        let error = #expect(throws: PostgresCodecError.self) { try decoder.decode(buffer: &bytes) }
        #expect(error?.kind == .dataAfterCancelRequest)
    }

    @Test("a TLS ClientHello sent directly is refused at its first eight bytes")
    func directTLS() throws {
        let clientHello: [UInt8] = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01]
        let error = Fixtures.decodingError(clientHello, with: PostgresFrontendDecoder())
        #expect(error?.kind == .lengthExceedsMaximum)
        #expect(error?.offset == 0)
    }
}
