import NIOCore
import NIOEmbedded
import Testing

@testable import Broker

@Suite("Relay handler")
struct RelayHandlerTests {
    /// Forwards every message, holds the one that reads "hold" until `decision` names what to forward instead,
    /// fails on "fail".
    struct Stage: RelayStage {
        let decision: EventLoopFuture<String>

        func process(_ message: ByteBuffer) throws -> RelayVerdict<ByteBuffer, ByteBuffer> {
            switch message.text {
            case "hold":
                .hold(
                    notify: [ByteBuffer(string: "wait")],
                    decision: decision.map { .forward($0.isEmpty ? [] : [ByteBuffer(string: $0)]) }
                )
            case "fail": throw Failure()
            default: .forward([message])
            }
        }

        func failed(_ error: any Error) {}
    }

    struct Failure: Error {}

    /// A client and a target channel on one loop, spliced; each with a probe below its relay handler.
    struct Pair {
        let loop = EmbeddedEventLoop()
        let client: EmbeddedChannel
        let target: EmbeddedChannel
        let clientProbe = ChannelProbe()
        let targetProbe = ChannelProbe()
        let decision: EventLoopPromise<String>

        init() throws {
            client = EmbeddedChannel(loop: loop)
            target = EmbeddedChannel(loop: loop)
            decision = loop.makePromise()
            let (fromClient, fromTarget) = RelayHandler<ByteBuffer, ByteBuffer>.matchedPair(
                Stage(decision: decision.futureResult),
                Stage(decision: loop.makeSucceededFuture(""))
            )
            try client.pipeline.syncOperations.addHandlers([clientProbe, fromClient])
            try target.pipeline.syncOperations.addHandlers([targetProbe, fromTarget])
        }

        func fromClient(_ text: String) throws {
            try client.writeInbound(ByteBuffer(string: text))
        }

        func clientInputClosed() {
            client.pipeline.fireUserInboundEventTriggered(ChannelEvent.inputClosed)
        }

        func targetReceived() throws -> [String] {
            var texts: [String] = []
            while let buffer = try target.readOutbound(as: ByteBuffer.self) { texts.append(buffer.text) }
            return texts
        }

        func clientReceived() throws -> [String] {
            var texts: [String] = []
            while let buffer = try client.readOutbound(as: ByteBuffer.self) { texts.append(buffer.text) }
            return texts
        }
    }

    @Test("messages and end of input pass straight through when nothing is held")
    func passThrough() throws {
        let splice = try Pair()
        try splice.fromClient("a")
        splice.clientInputClosed()
        #expect(try splice.targetReceived() == ["a"])
        #expect(splice.targetProbe.outputClosed)
        #expect(!splice.targetProbe.closed)
    }

    @Test("a held message stops reads and queues later reads and the end of input until its decision")
    func holdQueuesReadsAndEndOfInput() throws {
        let splice = try Pair()
        try splice.fromClient("hold")
        #expect(try splice.clientReceived() == ["wait"])
        splice.client.read()
        #expect(splice.clientProbe.reads == 0)
        try splice.fromClient("b")
        splice.clientInputClosed()
        #expect(try splice.targetReceived() == [])
        #expect(!splice.targetProbe.outputClosed)

        splice.decision.succeed("held")
        splice.loop.run()
        #expect(try splice.targetReceived() == ["held", "b"])
        #expect(splice.targetProbe.outputClosed)
        #expect(splice.clientProbe.reads == 1)
    }

    @Test("a decision that fails closes both sides and drops what waited")
    func failureDuringHold() throws {
        let splice = try Pair()
        try splice.fromClient("hold")
        try splice.fromClient("b")
        splice.decision.fail(Failure())
        splice.loop.run()
        #expect(try splice.targetReceived() == [])
        #expect(splice.clientProbe.closed)
        #expect(splice.targetProbe.closed)
    }

    @Test("a stage that throws closes both sides")
    func stageFailure() throws {
        let splice = try Pair()
        try splice.fromClient("fail")
        #expect(try splice.targetReceived() == [])
        #expect(splice.clientProbe.closed)
        #expect(splice.targetProbe.closed)
    }

    @Test("reads pause while the other side is unwritable and resume when it drains")
    func backpressure() throws {
        let splice = try Pair()
        splice.target.isWritable = false
        splice.client.read()
        #expect(splice.clientProbe.reads == 0)
        splice.target.isWritable = true
        splice.target.pipeline.fireChannelWritabilityChanged()
        #expect(splice.clientProbe.reads == 1)
        splice.client.read()
        #expect(splice.clientProbe.reads == 2)
    }

    @Test("after a hold, a read that waited still waits for an unwritable other side")
    func holdEndsUnderBackpressure() throws {
        let splice = try Pair()
        try splice.fromClient("hold")
        splice.client.read()
        splice.target.isWritable = false
        splice.decision.succeed("")
        splice.loop.run()
        #expect(splice.clientProbe.reads == 0)
        splice.target.isWritable = true
        splice.target.pipeline.fireChannelWritabilityChanged()
        #expect(splice.clientProbe.reads == 1)
    }
}
