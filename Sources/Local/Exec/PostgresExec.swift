public import HoopCore
import NIOCore
import NIOPosix
import PostgresWire

/// `hoopctl exec` for PostgreSQL resources: a short-lived session whose tunnel is spoken to by an in-process client
/// instead of a local port, so scripts and agents get rows as data while the broker applies exactly the pipeline a
/// psql session gets (policy, recording, audit). The session is revoked as soon as the SQL has run.
public enum PostgresExec {
    public struct Outcome: Sendable {
        public var session: SessionInfo
        public var statements: [SQLStatementResult]
    }

    public static func run(client: BrokerClient, request: SessionRequest, sql: String) async throws(LocalError)
        -> Outcome
    {
        let granted = try await client.createSession(request)
        do {
            let statements = try await run(granted, client: client, request: request, sql: sql)
            _ = try? await client.revokeSession(granted.session.id)
            return Outcome(session: granted.session, statements: statements)
        } catch {
            _ = try? await client.revokeSession(granted.session.id)
            throw error
        }
    }

    private static func run(
        _ granted: SessionGrantResponse,
        client: BrokerClient,
        request: SessionRequest,
        sql: String
    ) async throws(LocalError) -> [SQLStatementResult] {
        guard let credentials = granted.credentials, granted.session.resourceType == "postgres" else {
            throw LocalError(
                .invalidInput,
                "exec runs SQL on postgres resources; \(request.resource) is \(granted.session.resourceType)",
                hint: "use `hoopctl connect \(request.resource)` and your usual client"
            )
        }
        let dialer = try TunnelDialer(endpoint: client.endpoint, trust: client.trust, grant: granted.grant)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let results = loop.makePromise(of: [SQLStatementResult].self)
        let handler = PostgresExecHandler(
            user: credentials.user,
            password: credentials.password,
            database: credentials.database,
            sql: sql,
            promise: results
        )
        let upgrader = TunnelUpgrader { channel in
            try channel.pipeline.syncOperations.addHandlers([
                ByteToMessageHandler(PostgresBackendDecoder()),
                MessageToByteHandler(PostgresFrontendEncoder()),
                handler,
            ])
        }
        let (_, handshake) = dialer.dial(on: loop, upgrader: upgrader)
        do {
            switch try await handshake.get() {
            case .spliced:
                loop.execute { handler.start() }
            case .refused(let answer):
                let refusal: Result<TunnelRefusal, any Error>
                do {
                    refusal = .success(try await answer.get())
                } catch {
                    refusal = .failure(error)
                }
                results.fail(CancellationError())
                throw dialer.explain(refusal)
            }
        } catch let error as LocalError {
            throw error
        } catch {
            results.fail(error)
            throw dialer.explain(error)
        }
        do {
            return try await results.futureResult.get()
        } catch let failure as ExecFailure {
            throw LocalError(.brokerError, "\(failure.message) (SQLSTATE \(failure.code))")
        } catch {
            throw dialer.explain(error)
        }
    }
}
