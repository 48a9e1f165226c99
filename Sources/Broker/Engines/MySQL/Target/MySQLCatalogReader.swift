import MySQLWire
import NIOCore

/// Runs one query of the broker's own on the logged-in target connection, before the client's relay is attached,
/// and returns its rows as text. Used to learn which base tables exist, for column rules; nothing it reads reaches
/// the client or the recording.
enum MySQLCatalogReader {
    static func rows(of query: String, on target: any Channel, capabilities: MySQLCapabilities) -> EventLoopFuture<
        [[String?]]
    > {
        let promise = target.eventLoop.makePromise(of: [[String?]].self)
        do {
            try target.pipeline.syncOperations.addHandler(
                MySQLCatalogHandler(query: query, capabilities: capabilities, promise: promise))
        } catch {
            promise.fail(MySQLCatalogError(reason: "\(error)"))
        }
        return promise.futureResult
    }
}

/// Sends the query, collects text rows until the response ends, and removes itself. Reads one batch at a time,
/// because the target channel's autoRead stays off until the relay takes over.
private final class MySQLCatalogHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = MySQLPacket
    typealias OutboundOut = MySQLPacket

    private let query: MySQLCommand
    private let capabilities: MySQLCapabilities
    private let promise: EventLoopPromise<[[String?]]>
    private var tracker: MySQLResponseTracker?
    private var rows: [[String?]] = []
    private var done = false

    init(query: String, capabilities: MySQLCapabilities, promise: EventLoopPromise<[[String?]]>) {
        self.query = .query(ByteBuffer(string: query))
        self.capabilities = capabilities
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        var tracker = MySQLResponseTracker(capabilities: capabilities)
        tracker.commandSent(query)
        self.tracker = tracker
        context.writeAndFlush(wrapOutboundOut(MySQLPacket(sequenceID: 0, payload: query.payload)), promise: nil)
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done, var tracker else { return }
        do {
            switch try tracker.received(unwrapInboundIn(data)) {
            case .textRow(let row):
                rows.append(row.values.map { $0.map { String(buffer: $0) } })
            case .error(let error):
                finish(context, .failure(MySQLCatalogError(reason: error.message)))
                return
            default:
                break
            }
        } catch {
            finish(context, .failure(MySQLCatalogError(reason: "\(error)")))
            return
        }
        self.tracker = tracker
        if tracker.isIdle { finish(context, .success(rows)) }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !done { context.read() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        if !done {
            done = true
            promise.fail(MySQLCatalogError(reason: "the target closed the connection"))
        }
        context.fireChannelInactive()
    }

    private func finish(_ context: ChannelHandlerContext, _ result: Result<[[String?]], MySQLCatalogError>) {
        done = true
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        promise.completeWith(result.mapError { $0 as any Error })
    }
}
