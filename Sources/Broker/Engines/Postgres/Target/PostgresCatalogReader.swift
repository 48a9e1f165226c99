import NIOCore
import PostgresWire

/// Runs one query of the broker's own on the logged-in target connection, before the client's relay is attached,
/// and returns its rows as text. Used to resolve masking column rules to table OIDs and attribute numbers; nothing
/// it reads reaches the client or the recording.
enum PostgresCatalogReader {
    static func rows(of query: String, on target: any Channel) -> EventLoopFuture<[[String?]]> {
        let promise = target.eventLoop.makePromise(of: [[String?]].self)
        do {
            try target.pipeline.syncOperations.addHandler(PostgresCatalogHandler(query: query, promise: promise))
        } catch {
            promise.fail(PostgresCatalogError(reason: "\(error)"))
        }
        return promise.futureResult
    }
}

/// Sends the query, collects DataRows until ReadyForQuery, and removes itself. Reads one batch at a time, as the
/// login does, because the target channel's autoRead stays off until the relay takes over.
private final class PostgresCatalogHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = PostgresBackendMessage
    typealias OutboundOut = PostgresFrontendMessage

    private let query: String
    private let promise: EventLoopPromise<[[String?]]>
    private var rows: [[String?]] = []
    private var failure: PostgresCatalogError?
    private var done = false

    init(query: String, promise: EventLoopPromise<[[String?]]>) {
        self.query = query
        self.promise = promise
    }

    func handlerAdded(context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(.query(query)), promise: nil)
        context.read()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !done else { return }
        switch unwrapInboundIn(data) {
        case .dataRow(let cells):
            rows.append(cells.map { $0.map { String(buffer: $0) } })
        case .errorResponse(let diagnostic):
            failure = PostgresCatalogError(reason: diagnostic.message ?? "the target refused the catalog query")
        case .readyForQuery:
            done = true
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
            if let failure { promise.fail(failure) } else { promise.succeed(rows) }
        default:
            break
        }
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        if !done { context.read() }
    }

    func channelInactive(context: ChannelHandlerContext) {
        guard !done else { return }
        done = true
        promise.fail(PostgresCatalogError(reason: "the target closed the connection"))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard !done else { return }
        done = true
        promise.fail(PostgresCatalogError(reason: "\(error)"))
        context.close(promise: nil)
    }
}
