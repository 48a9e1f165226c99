package import HoopCore
import NIOCore
import NIOPosix
import PostgresWire

/// `hoopctl exec` for PostgreSQL resources: a short-lived session whose tunnel is spoken to by an in-process client
/// instead of a local port, so scripts and agents get rows as data while the broker applies exactly the pipeline a
/// psql session gets (policy, recording, audit). The session is revoked as soon as the SQL has run.
package enum PostgresExec {
    /// `hoopctl exec`'s statement runner for `postgres` resources.
    struct Runner: StatementRunner {
        func run(
            client: BrokerClient, request: SessionRequest, sql: String, approvals: ApprovalWait,
            approval: ApprovalInfo?
        ) async throws(LocalError) -> StatementsOutcome {
            try await PostgresExec.run(
                client: client, request: request, sql: sql, approvals: approvals, approval: approval)
        }
    }

    /// Runs `sql`. `approvals` says whether to wait when the broker holds the session or a statement for
    /// approval; `approval` is an approved request to use (a session request goes into the session request, a
    /// statement request rides on the tunnel).
    package static func run(
        client: BrokerClient,
        request: SessionRequest,
        sql: String,
        approvals: ApprovalWait,
        approval: ApprovalInfo? = nil
    ) async throws(LocalError) -> StatementsOutcome {
        var request = request
        var headers = [(name: ApprovalHeader.mode, value: approvals.wait ? "wait" : "no-wait")]
        if let approval {
            if approval.kind == .session {
                request.approval = approval.id
            } else {
                headers.append((ApprovalHeader.approval, String(approval.id)))
            }
        }
        let granted = try await approvals.openSession(client, request)
        let watcher = HeldStatementWatcher(client: client, approvals: approvals)
        defer { watcher.stop() }
        do throws(LocalError) {
            let statements = try await run(
                granted, client: client, request: request, sql: sql, headers: headers, onHeld: watcher.watch)
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
        _ granted: SessionGrantResponse,
        client: BrokerClient,
        request: SessionRequest,
        sql: String,
        headers: [(name: String, value: String)],
        onHeld: @escaping @Sendable (Int64) -> Void
    ) async throws(LocalError) -> [SQLStatementResult] {
        guard let credentials = granted.credentials, granted.session.resourceType == .postgres else {
            throw LocalError(
                .invalidInput,
                "exec runs SQL on postgres resources; \(request.resource) is \(granted.session.resourceType)",
                hint: "use `hoopctl connect \(request.resource)` and your usual client"
            )
        }
        let dialer = try TunnelDialer(
            endpoint: client.endpoint, trust: client.trust, grant: granted.grant, headers: headers)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let results = loop.makePromise(of: [SQLStatementResult].self)
        let handler = PostgresExecHandler(
            user: credentials.user,
            password: credentials.password,
            database: credentials.database,
            sql: sql,
            promise: results,
            onHeld: onHeld
        )
        let upgrader = TunnelClientUpgrader { channel in
            try channel.pipeline.syncOperations.addHandlers([
                ByteToMessageHandler(PostgresBackendDecoder()),
                MessageToByteHandler(PostgresFrontendEncoder()),
                handler,
            ])
        }
        do throws(LocalError) {
            _ = try await dialer.open(on: loop, upgrader: upgrader)
        } catch {
            results.fail(error)
            throw error
        }
        loop.execute { handler.start() }
        do {
            return try await results.futureResult.get()
        } catch let failure as ExecFailure {
            throw LocalError(.brokerError, "\(failure.message) (SQLSTATE \(failure.code))")
        } catch {
            throw dialer.explain(error)
        }
    }
}
