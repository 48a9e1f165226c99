import Testing

@testable import Broker
@testable import PostgresWire

/// An approved extended-protocol statement is good for one Bind and one Execute: the attacks below are what a client
/// that got one approval would try next to run the statement again.
@Suite("Approved statements: one approval, one execution")
struct PostgresApprovedStatementsTests {
    static let parse = PostgresFrontendMessage.Parse(
        name: "wipe", query: "DELETE FROM payroll.salaries", parameterTypeOIDs: [])

    static func bind(_ statement: String, portal: String = "") -> PostgresFrontendMessage {
        .bind(.init(portal: portal, statement: statement, parameterFormats: [], parameters: [], resultFormats: []))
    }

    /// The approved Parse under the broker's own name, and that name.
    static func approve(_ ledger: inout PostgresApprovedStatements) throws -> String {
        guard case .parse(let renamed) = ledger.approved(parse, approval: 7) else {
            throw PeerError("the approved Parse must stay a Parse")
        }
        return renamed.name
    }

    @Test("the approved statement is prepared under a name the client did not choose and cannot guess")
    func renamed() throws {
        var ledger = PostgresApprovedStatements()
        let first = try Self.approve(&ledger)
        var other = PostgresApprovedStatements()
        let second = try Self.approve(&other)
        #expect(first != "wipe" && first.hasPrefix("hoop_approved_stmt_"))
        #expect(first != second)
        #expect(first.count >= "hoop_approved_stmt_".count + 32)
    }

    @Test("one Bind reaches it; a second Bind of the same statement is refused")
    func secondBind() throws {
        var ledger = PostgresApprovedStatements()
        let serverName = try Self.approve(&ledger)
        guard case .forward(.bind(let bound)) = ledger.route(Self.bind("wipe")) else {
            Issue.record("the first Bind must go through")
            return
        }
        #expect(bound.statement == serverName)
        #expect(bound.portal.hasPrefix("hoop_approved_portal_"))
        guard case .refuse(let reason) = ledger.route(Self.bind("wipe", portal: "again")) else {
            Issue.record("a second Bind must be refused")
            return
        }
        #expect(reason.contains("approval 7") && reason.contains("one execution"))
    }

    @Test("the bound portal runs once; a second Execute of it is refused")
    func secondExecute() throws {
        var ledger = PostgresApprovedStatements()
        _ = try Self.approve(&ledger)
        guard case .forward(.bind(let bound)) = ledger.route(Self.bind("wipe", portal: "p")) else {
            Issue.record("the Bind must go through")
            return
        }
        #expect(ledger.route(.execute(portal: "p", maxRows: 0)) == .forward(.execute(portal: bound.portal, maxRows: 0)))
        guard case .refuse = ledger.route(.execute(portal: "p", maxRows: 0)) else {
            Issue.record("a second Execute must be refused")
            return
        }
    }

    @Test("Describe and Close follow the mapping; a closed or re-prepared name no longer reaches it")
    func describeAndClose() throws {
        var ledger = PostgresApprovedStatements()
        let serverName = try Self.approve(&ledger)
        #expect(ledger.route(.describe(.statement, name: "wipe")) == .forward(.describe(.statement, name: serverName)))
        #expect(ledger.route(.close(.statement, name: "wipe")) == .forward(.close(.statement, name: serverName)))
        // After Close, the client's name is its own again: a Bind goes to whatever the server has under it.
        #expect(ledger.route(Self.bind("wipe")) == .forward(Self.bind("wipe")))

        _ = try Self.approve(&ledger)
        let reprepare = PostgresFrontendMessage.parse(.init(name: "wipe", query: "SELECT 1", parameterTypeOIDs: []))
        #expect(ledger.route(reprepare) == .forward(reprepare))
        #expect(ledger.route(Self.bind("wipe")) == .forward(Self.bind("wipe")))
    }

    @Test("a simple query drops the unnamed statement and portal, as the server does")
    func simpleQueryEndsUnnamed() throws {
        var ledger = PostgresApprovedStatements()
        _ = ledger.approved(.init(name: "", query: "DELETE FROM t", parameterTypeOIDs: []), approval: nil)
        #expect(ledger.route(.query("SELECT 1")) == .forward(.query("SELECT 1")))
        #expect(ledger.route(Self.bind("")) == .forward(Self.bind("")))
    }

    @Test("messages about other statements and portals pass untouched")
    func others() throws {
        var ledger = PostgresApprovedStatements()
        _ = try Self.approve(&ledger)
        for message: PostgresFrontendMessage in [
            Self.bind("other"), .execute(portal: "q", maxRows: 10), .describe(.portal, name: "q"), .sync, .flush,
        ] {
            #expect(ledger.route(message) == .forward(message))
        }
    }
}
