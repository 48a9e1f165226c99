import HoopCore
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import PostgresWire

/// The in-process client one SQL protocol's `hoopctl exec` speaks over the tunnel.
protocol SQLExecDriver: Sendable {
    /// The resources it speaks to.
    var type: ResourceType { get }
    /// Adds the protocol's codec and client to the upgraded tunnel channel and returns what starts it (called on the
    /// channel's event loop once the upgrade is done). The client fulfils `results` with each statement's result.
    func install(
        on channel: any Channel, credentials: SessionCredentials, sql: String,
        results: EventLoopPromise<[SQLStatementResult]>, onHeld: @escaping @Sendable (Int64) -> Void
    ) throws -> @Sendable () -> Void
}

/// `hoopctl exec` for SQL resources: a short-lived session whose tunnel is spoken to by an in-process client
/// instead of a local port, so scripts and agents get rows as data while the broker applies exactly the pipeline a
/// psql or mysql session gets (policy, recording, audit). The session is revoked as soon as the SQL has run.
/// Drivers differ only in the protocol they speak (`SQLExecDriver`).
package enum SQLExec {
    /// `hoopctl exec`'s statement runner for one SQL protocol.
    struct Runner<Driver: SQLExecDriver>: StatementRunner {
        let driver: Driver

        func run(
            client: BrokerClient, request: SessionRequest, sql: String, approvals: ApprovalWait,
            approval: ApprovalInfo?
        ) async throws(LocalError) -> StatementsOutcome {
            try await SQLExec.run(
                driver, client: client, request: request, sql: sql, approvals: approvals, approval: approval)
        }
    }

    /// Runs `sql`. `approvals` says whether to wait when the broker holds the session or a statement for
    /// approval; `approval` is an approved request to use (a session request goes into the session request, a
    /// statement request rides on the tunnel).
    static func run(
        _ driver: some SQLExecDriver,
        client: BrokerClient,
        request: SessionRequest,
        sql: String,
        approvals: ApprovalWait,
        approval: ApprovalInfo? = nil
    ) async throws(LocalError) -> StatementsOutcome {
        let (request, headers) = approvals.bringing(approval, to: request)
        let granted = try await approvals.openSession(client, request)
        let watcher = HeldStatementWatcher(client: client, approvals: approvals)
        defer { watcher.stop() }
        do throws(LocalError) {
            let statements = try await run(
                driver, granted, client: client, request: request, sql: sql, headers: headers, onHeld: watcher.watch)
            _ = try? await client.revokeSession(granted.session.id)
            if let pending = statements.compactMap(\.error).first(where: {
                $0.sqlState == .approvalPending
            }), let id = pending.detail.flatMap({ Int64($0) }) {
                throw ApprovalWait.pending(try await client.approval(id))
            }
            return StatementsOutcome(session: granted.session, statements: statements)
        } catch {
            _ = try? await client.revokeSession(granted.session.id)
            throw error
        }
    }

    private static func run(
        _ driver: some SQLExecDriver,
        _ granted: SessionGrantResponse,
        client: BrokerClient,
        request: SessionRequest,
        sql: String,
        headers: [(name: String, value: String)],
        onHeld: @escaping @Sendable (Int64) -> Void
    ) async throws(LocalError) -> [SQLStatementResult] {
        guard let credentials = granted.credentials, granted.session.resourceType == driver.type else {
            throw LocalError(
                .invalidInput,
                "exec runs SQL on \(driver.type) resources here; \(request.resource) is \(granted.session.resourceType)",
                hint: "use `hoopctl connect \(request.resource)` and your usual client"
            )
        }
        let dialer = try TunnelDialer(
            endpoint: client.endpoint, trust: client.trust, grant: granted.grant, headers: headers)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let results = loop.makePromise(of: [SQLStatementResult].self)
        let start = NIOLockedValueBox<(@Sendable () -> Void)?>(nil)
        let upgrader = TunnelClientUpgrader { channel in
            let begin = try driver.install(
                on: channel, credentials: credentials, sql: sql, results: results, onHeld: onHeld)
            start.withLockedValue { $0 = begin }
        }
        do throws(LocalError) {
            let channel = try await dialer.open(on: loop, upgrader: upgrader)
            // The driver's handler reports a close it sees; one that came before the handler was in place would
            // otherwise leave the results waiting forever. Completes nothing once the handler has answered.
            channel.closeFuture.whenComplete { _ in
                results.fail(ExecFailure(code: .connectionFailure, message: "the broker closed the connection"))
            }
        } catch {
            results.fail(error)
            throw error
        }
        loop.execute { start.withLockedValue { $0 }?() }
        do {
            return try await results.futureResult.get()
        } catch let failure as ExecFailure {
            throw LocalError(.brokerError, "\(failure.message) (SQLSTATE \(failure.code))")
        } catch {
            throw dialer.explain(error)
        }
    }
}
