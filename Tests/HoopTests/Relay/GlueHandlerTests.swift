import NIOCore
import NIOEmbedded
import Testing

@testable import Local

@Suite("Glue handler")
struct GlueHandlerTests {
    /// A local and a broker channel on one loop, glued; each with a probe below its glue handler.
    struct Glue {
        let loop = EmbeddedEventLoop()
        let local: EmbeddedChannel
        let broker: EmbeddedChannel
        let localProbe = ChannelProbe()
        let brokerProbe = ChannelProbe()

        init() throws {
            local = EmbeddedChannel(loop: loop)
            broker = EmbeddedChannel(loop: loop)
            let (localSide, brokerSide) = GlueHandler.matchedPair()
            try local.pipeline.syncOperations.addHandlers([localProbe, localSide])
            try broker.pipeline.syncOperations.addHandlers([brokerProbe, brokerSide])
        }

        func brokerReceived() throws -> [String] {
            var texts: [String] = []
            while let buffer = try broker.readOutbound(as: ByteBuffer.self) { texts.append(buffer.text) }
            return texts
        }
    }

    @Test("bytes cross, and end of input half-closes the other side only after its pending writes complete")
    func halfCloseAfterPendingWrites() throws {
        let glue = try Glue()
        glue.brokerProbe.keepWritesPending = true
        try glue.local.writeInbound(ByteBuffer(string: "last bytes"))
        glue.local.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(try glue.brokerReceived() == ["last bytes"])
        #expect(!glue.brokerProbe.outputClosed)
        glue.brokerProbe.completeWrites()
        #expect(glue.brokerProbe.outputClosed)
        #expect(!glue.brokerProbe.closed)
    }

    @Test("end of input with nothing pending half-closes the other side at once, once")
    func halfCloseAtOnce() throws {
        let glue = try Glue()
        glue.local.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        #expect(glue.brokerProbe.outputClosed)
        #expect(!glue.localProbe.outputClosed)
    }

    @Test("a side that closes closes the other once its pending writes complete")
    func closeAfterPendingWrites() throws {
        let glue = try Glue()
        glue.brokerProbe.keepWritesPending = true
        try glue.local.writeInbound(ByteBuffer(string: "bytes"))
        try glue.local.close().wait()
        #expect(!glue.brokerProbe.closed)
        glue.brokerProbe.completeWrites()
        #expect(glue.brokerProbe.closed)
        #expect(try glue.brokerReceived() == ["bytes"])
    }

    @Test("reads pause while the other side is unwritable and resume when it drains")
    func backpressure() throws {
        let glue = try Glue()
        glue.broker.isWritable = false
        glue.local.read()
        #expect(glue.localProbe.reads == 0)
        glue.broker.isWritable = true
        glue.broker.pipeline.fireChannelWritabilityChanged()
        #expect(glue.localProbe.reads == 1)
        glue.local.read()
        #expect(glue.localProbe.reads == 2)
    }
}
