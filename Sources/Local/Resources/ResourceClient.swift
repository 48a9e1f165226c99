package import HoopCore

/// What this client does differently for one kind of resource: the connection details and example `hoopctl
/// connect` prints, the local files a session's tools need, and how `hoopctl exec` runs there.
///
/// The commands ask the adapter instead of comparing resource types, so a new kind is one adapter and one line
/// in `ResourceClients`.
package protocol ResourceClient: Sendable {
    var type: ResourceType { get }
    /// How `hoopctl exec` runs on this kind; nil when it cannot (bytes with no command in them).
    var exec: ExecStyle? { get }
    /// Completes `details` with what this kind's clients need (a URI, OpenSSH options), writing any local files
    /// the session uses.
    func complete(_ details: inout ConnectionDetails, granted: SessionGrantResponse) throws(LocalError)
    /// Completes `details` for direct mode, where the client connects to the broker's own port for this kind
    /// (`details.host`/`port`) over TLS verified with `trust`; kinds without one refuse.
    func completeDirect(_ details: inout ConnectionDetails, granted: SessionGrantResponse, trust: TrustAnchor)
        throws(LocalError)
    /// Removes the files `complete` wrote, when the session's tunnel closes.
    func cleanUp(session: String)
    /// A ready-to-run client command for the printed announcement, starting with ", e.g." or ".".
    func example(_ details: ConnectionDetails) -> String
}

extension ResourceClient {
    package func complete(_ details: inout ConnectionDetails, granted: SessionGrantResponse) throws(LocalError) {}
    package func cleanUp(session: String) {}

    package func completeDirect(_ details: inout ConnectionDetails, granted: SessionGrantResponse, trust: TrustAnchor)
        throws(LocalError)
    {
        throw LocalError(
            .invalidInput, "\(self.type) resources have no direct mode",
            hint: "connect without --direct, through the local port")
    }
}

/// How `hoopctl exec` runs on a kind of resource.
package enum ExecStyle: Sendable {
    /// SQL text, run as statements whose results come back as data.
    case statements(any StatementRunner)
    /// A command line the target runs, with standard input and output streamed and its exit status returned.
    case command(any CommandRunner)
}

/// Runs SQL through a short-lived session.
package protocol StatementRunner: Sendable {
    func run(
        client: BrokerClient, request: SessionRequest, sql: String, approvals: ApprovalWait, approval: ApprovalInfo?
    ) async throws(LocalError) -> StatementsOutcome
}

/// Runs one command line through a short-lived session.
package protocol CommandRunner: Sendable {
    func run(
        client: BrokerClient, request: SessionRequest, command: String, streams: CommandStreams,
        approvals: ApprovalWait, approval: ApprovalInfo?
    ) async throws(LocalError) -> CommandOutcome
}

/// What `hoopctl exec` of SQL gives back.
package struct StatementsOutcome: Sendable {
    package var session: SessionInfo
    package var statements: [SQLStatementResult]

    package init(session: SessionInfo, statements: [SQLStatementResult]) {
        self.session = session
        self.statements = statements
    }
}

/// What `hoopctl exec` of a command gives back.
package struct CommandOutcome: Sendable {
    package var session: SessionInfo
    package var exit: CommandExit
}

/// Every kind of resource this client can use.
package enum ResourceClients {
    static let all: [any ResourceClient] = [
        TCPResourceClient(),
        PostgresResourceClient(),
        MySQLResourceClient(),
        SSHResourceClient(),
        MCPResourceClient(),
        HTTPResourceClient(),
        KubernetesResourceClient(),
    ]

    /// How exec proceeds for a resource the broker's list does not show (unknown, or not the caller's): the broker
    /// refuses its session request with the precise reason, and audits it, before any protocol is spoken, so any
    /// runner reaches that answer.
    package static let unlistedExec: ExecStyle? = .statements(SQLExec.Runner(driver: PostgresExecDriver()))

    /// The adapter for `type`, or a clear refusal naming what this client supports, so a kind newer than this
    /// hoopctl is reported before any session is opened for it.
    package static func adapter(for type: ResourceType) throws(LocalError) -> any ResourceClient {
        guard let adapter = all.first(where: { $0.type == type }) else {
            let known = all.map(\.type.rawValue).joined(separator: ", ")
            throw LocalError(
                .invalidInput,
                "this hoopctl cannot use \(type) resources (it knows \(known))",
                hint: "install a newer hoopctl that supports \(type) resources"
            )
        }
        return adapter
    }

    /// The adapter for the resource called `name`, looked up in the broker's list before a session is asked for;
    /// nil when the list does not show it (the broker then answers the session request with the precise reason).
    package static func adapter(forResource name: String, on client: BrokerClient) async throws(LocalError)
        -> (any ResourceClient)?
    {
        guard let listed = try await client.resources().first(where: { $0.name == name }) else { return nil }
        return try adapter(for: listed.type)
    }
}
