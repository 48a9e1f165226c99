import Logging
import PostgresNIO
import Synchronization

/// The one LISTEN connection of a shared store: every `pg_notify` any broker sends on `channel` (in the transaction
/// of the change it announces, so it arrives only once the change is visible) becomes a `StoreChange` on the
/// store's broadcaster. When the connection drops, it reconnects with backoff; what was announced meanwhile is
/// lost, which the consumers' sweeps cover.
final class PostgresChangeListener: Sendable {
    /// The notification channel every broker of a deployment sends and listens on.
    static let channel = "hoop_store_changes"

    private let endpoint: PostgresStoreEndpoint
    private let broadcaster: StoreChangeBroadcaster
    private let logger: Logger
    private let task = Mutex<Task<Void, Never>?>(nil)
    /// The live connection, so `stop` can close it under a consumer waiting for the next notification.
    private let connection = Mutex<PostgresConnection?>(nil)
    /// Resumed once the first LISTEN is in place.
    private let ready = Mutex<CheckedContinuation<Void, Never>?>(nil)

    static let firstRetry: Duration = .milliseconds(100)
    static let longestRetry: Duration = .seconds(5)

    init(endpoint: PostgresStoreEndpoint, broadcaster: StoreChangeBroadcaster, logger: Logger) {
        self.endpoint = endpoint
        self.broadcaster = broadcaster
        self.logger = logger
    }

    /// Starts listening and returns once the first LISTEN is in place (or its first attempt failed), so every change
    /// committed after the store opened is announced.
    func start() async {
        await withCheckedContinuation { continuation in
            ready.withLock { $0 = continuation }
            task.withLock { $0 = Task { await self.run() } }
        }
    }

    func stop() async {
        let running = task.withLock { $0 }
        running?.cancel()
        if let open = connection.withLock({ $0 }) { try? await open.close() }
        await running?.value
        markReady()
    }

    private func run() async {
        var retry = Self.firstRetry
        var attempt = 0
        while !Task.isCancelled {
            attempt += 1
            do {
                try await listen(attempt: attempt) { retry = Self.firstRetry }
            } catch {
                if Task.isCancelled { return }
                // A store whose listener cannot connect yet still opens: the consumers' sweeps cover the gap.
                markReady()
                logger.warning(
                    "store change listener lost its connection; reconnecting",
                    metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await Task.sleep(for: retry)
            retry = min(retry * 2, Self.longestRetry)
        }
    }

    /// One connection's life: LISTEN, then announce every notification until the connection ends. The connection
    /// is closed however that happens (PostgresNIO requires it).
    private func listen(attempt: Int, onListening: () -> Void) async throws {
        let open = try await PostgresConnection.connect(
            configuration: try endpoint.listener(), id: attempt, logger: logger)
        connection.withLock { $0 = open }
        let outcome: Result<Void, any Error>
        do {
            try Task.checkCancellation()
            try await open.listen(on: Self.channel) { notifications in
                markReady()
                onListening()
                for try await notification in notifications {
                    if let change = StoreChange(notification: notification.payload) {
                        broadcaster.announce(change)
                    } else {
                        logger.warning("ignored an unreadable store notification")
                    }
                }
            }
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        connection.withLock { $0 = nil }
        try? await open.close()
        try outcome.get()
    }

    private func markReady() {
        ready.withLock { continuation in
            continuation?.resume()
            continuation = nil
        }
    }
}

extension StoreChange {
    /// The notification payload: `session:<id>` or `approval:<id>`.
    var notification: String {
        switch self {
        case .session(let id): "session:\(id)"
        case .approval(let id): "approval:\(id)"
        }
    }

    init?(notification payload: String) {
        guard let colon = payload.firstIndex(of: ":") else { return nil }
        let value = String(payload[payload.index(after: colon)...])
        switch payload[..<colon] {
        case "session" where !value.isEmpty: self = .session(value)
        case "approval":
            guard let id = Int64(value) else { return nil }
            self = .approval(id)
        default: return nil
        }
    }
}
