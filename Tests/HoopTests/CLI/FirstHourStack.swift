import Foundation
import Testing

/// What a new user meets in the first hour (issue 18): an identity provider, a PostgreSQL, a broker with a guarded
/// and a session-gated resource, and the people who use it: an agent, a DBA who approves, an auditor.
struct FirstHourStack {
    let idp: IdentityProvider
    let pg: PostgresServer
    let broker: BrokerProcess
    let agent: ClientCLI
    let alice: ClientCLI
    let auditor: ClientCLI

    static func resources(pgPort: Int) -> String {
        """
          - name: pg-guarded
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: testdb
            username: hoop_scram
            password_env: PG_PASSWORD
            allow_groups: [agents, dba]
            guardrails:
              - name: ddl
                match: [drop, truncate, alter]
                action: require_approval
                approvers: [dba]
          - name: pg-gated
            type: postgres
            address: 127.0.0.1:\(pgPort)
            database: testdb
            username: hoop_scram
            password_env: PG_PASSWORD
            allow_groups: [agents]
            session_approval: { approvers: [dba] }
            masking:
              detectors: [email]
        """
    }

    /// Runs `body` with the whole stack up, and tears it down whatever happens.
    static func with(extraYAML: String = "", _ body: (FirstHourStack) async throws -> Void) async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: resources(pgPort: pg.port),
                    extraYAML: "auditor_groups: [audit]\napprovals:\n  timeout: 2m\n" + extraYAML,
                    environment: ["PG_PASSWORD": PostgresServer.password])
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    try await idp.addClient(
                        "alice", secret: "alice-secret", groups: ["dba"], subject: "alice", email: "alice@example.com")
                    try await idp.addClient("auditor", secret: "auditor-secret", groups: ["audit"], subject: "carol")
                    let stack = FirstHourStack(
                        idp: idp, pg: pg, broker: broker,
                        agent: try await ClientCLI.loggedIn(broker),
                        alice: try await ClientCLI.loggedIn(
                            broker, name: "alice", clientID: "alice", secret: "alice-secret"),
                        auditor: try await ClientCLI.loggedIn(
                            broker, name: "auditor", clientID: "auditor", secret: "auditor-secret"))
                    try await body(stack)
                }
            }
        }
    }

    /// The approval id a waiting or `--no-wait` command printed.
    static func approvalID(in text: String) throws -> Int64 {
        guard let match = text.firstMatch(of: /approval (\d+)/), let id = Int64(match.1) else {
            throw PeerError("no approval id in: \(text)")
        }
        return id
    }

    /// Whether the target database holds table `name`, asked directly (not through the broker).
    func tableExists(_ name: String) async throws -> Bool {
        let result = try await PostgresServer.psql(port: pg.port, ["-c", "select to_regclass('\(name)') is not null"])
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "t"
    }
}
