import Foundation
import HoopCore
import Testing

@testable import Broker

/// The approver page against a real broker, IdP and PostgreSQL, attacked over HTTP the way a hostile site, a
/// hostile requester or an outsider would: forged forms, other people's requests, injected markup, replayed and
/// spliced logins. Every decision the page makes is the API's, audited with `interface: web`.
@Suite("End to end: the approver web page", .serialized)
struct WebPageEndToEndTests {
    struct Stack {
        var idp: IdentityProvider
        var pg: PostgresServer
        var broker: BrokerProcess
        var agent: ClientCLI
    }

    /// IdP, PostgreSQL and a broker serving the page at its own address, with `pg-guarded` asking `dba` to approve
    /// DDL; the agent (group `agents`) is logged in for `hoopctl exec`.
    static func withStack(_ body: (Stack) async throws -> Void) async throws {
        try await IdentityProvider.with { idp in
            try await PostgresServer.with { pg in
                let port = try TestEnvironment.freePort()
                let publicURL = "https://127.0.0.1:\(port)"
                try await idp.addWebClient("hoop-web", redirectURIs: ["\(publicURL)/login/callback"])
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: ApprovalsEndToEndTests.resources(pgPort: pg.port),
                    extraYAML: """
                        auditor_groups: [auditors]
                        approvals:
                          timeout: 5m
                        web:
                          public_url: \(publicURL)
                        """,
                    identityYAML: "web_client_id: hoop-web",
                    port: port,
                    environment: ["PG_PASSWORD": PostgresServer.password]
                )
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    let agent = try await ClientCLI.loggedIn(broker)
                    try await body(Stack(idp: idp, pg: pg, broker: broker, agent: agent))
                }
            }
        }
    }

    /// A statement the agent asks approval for, left waiting (`--no-wait`); its approval id.
    static func pendingApproval(_ stack: Stack, _ sql: String, reason: String) async throws -> Int64 {
        let asked = try await stack.agent.run(["exec", "pg-guarded", "--no-wait", "--reason", reason, "--", sql])
        #expect(asked.status == 4, "\(asked.stderr)")
        return try ApprovalsEndToEndTests.approvalID(in: asked.stderr)
    }

    static func browser(_ stack: Stack, _ name: String, groups: [String]) async throws -> WebClient {
        let client = try WebClient(stack.broker)
        let back = try await client.logIn(idp: stack.idp, username: name, email: "\(name)@example.com", groups: groups)
        #expect(back.status == 303 && back.location == "/approvals", "\(back.status) \(back.body)")
        return client
    }

    @Test("approve and deny from the page hold the CLI's rules; forged, cross-origin and outsider posts decide nothing")
    func decisions() async throws {
        try await Self.withStack { stack in
            let hostile = "<script>alert(1)</script><img src=x onerror=alert(2)>"
            let first = try await Self.pendingApproval(stack, "DROP TABLE one_\(1)", reason: "cleanup \(hostile)")
            let second = try await Self.pendingApproval(stack, "DROP TABLE two /* \(hostile) */", reason: "drop two")

            // Without a session every page sends the browser to log in, and comes back afterwards.
            let anonymous = try WebClient(stack.broker)
            let away = try await anonymous.get("/approvals/\(first)")
            #expect(away.status == 303)
            #expect(away.location == "/login?next=%2Fapprovals%2F\(first)")
            let loginPage = try await anonymous.get(try #require(away.location))
            #expect(loginPage.body.contains("/login/oidc?issuer="))
            #expect(loginPage.body.contains("next=%2Fapprovals%2F\(first)"))
            let header = try #require(
                (try await anonymous.get("/login")).headers.first(name: "content-security-policy"))
            #expect(header.contains("frame-ancestors 'none'"))
            await anonymous.shutdown()

            let alice = try await Self.browser(stack, "alice", groups: ["dba"])
            defer { Task { await alice.shutdown() } }
            #expect(alice.cookies["__Host-hoop-session"] != nil)
            #expect(alice.cookies["__Host-hoop-login"] == nil, "the login cookie is spent")
            let list = try await alice.get("/approvals")
            #expect(list.status == 200)
            #expect(list.body.contains("/approvals/\(first)") && list.body.contains("/approvals/\(second)"))
            #expect(list.headers.first(name: "cache-control") == "no-store")

            // Markup in a statement or a reason is shown as text.
            let page = try await alice.get("/approvals/\(first)")
            #expect(page.body.contains("cleanup &lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(!page.body.contains("<script>") && !page.body.contains("<img"))
            let secondPage = try await alice.get("/approvals/\(second)")
            #expect(secondPage.body.contains("DROP TABLE two /* &lt;script&gt;"))
            let csrf = try WebClient.csrf(in: page.body)

            // Forged forms: no token, a wrong one, another person's, another origin, no origin at all.
            let bob = try await Self.browser(stack, "bob", groups: ["dba"])
            defer { Task { await bob.shutdown() } }
            let bobsToken = try WebClient.csrf(in: (try await bob.get("/approvals/\(first)")).body)
            let decide = "/approvals/\(first)"
            for (form, origin) in [
                ([("decision", "approve")], "default"),
                ([("decision", "approve"), ("csrf", "forged")], "default"),
                ([("decision", "approve"), ("csrf", bobsToken)], "default"),
                ([("decision", "approve"), ("csrf", csrf)], "https://evil.example"),
            ] {
                let forged = try await alice.post(decide, form: form, origin: origin)
                #expect(forged.status == 403, "\(form) from \(origin)")
            }
            let noOrigin = try await alice.post(decide, form: [("decision", "approve"), ("csrf", csrf)], origin: nil)
            #expect(noOrigin.status == 403)
            #expect(noOrigin.body.contains("neither Origin nor Referer"))
            #expect(try await Self.status(stack, first) == .pending, "no forged form decided anything")

            // An outsider sees nothing and decides nothing, even with a valid token of their own.
            let carol = try await Self.browser(stack, "carol", groups: ["ops"])
            defer { Task { await carol.shutdown() } }
            #expect((try await carol.get("/approvals/\(first)")).status == 404)
            #expect(!(try await carol.get("/approvals")).body.contains("/approvals/\(first)"))
            let carolsToken = try WebClient.csrf(in: (try await carol.get("/approvals")).body)
            let outsider = try await carol.post(decide, form: [("decision", "approve"), ("csrf", carolsToken)])
            #expect(outsider.status == 404 && outsider.body.contains("not in an approver group") == false)
            #expect(try await Self.status(stack, first) == .pending)

            // A denial needs a comment; then alice approves, and cannot approve twice.
            let bare = try await alice.post("/approvals/\(second)", form: [("decision", "deny"), ("csrf", csrf)])
            #expect(bare.status == 400 && bare.body.contains("a denial needs a reason"))
            let approved = try await alice.post(
                decide, form: [("decision", "approve"), ("csrf", csrf), ("comment", "ok <b>")])
            #expect(approved.status == 303 && approved.location == "/approvals/\(first)?decided=approve")
            let after = try await alice.get(try #require(approved.location))
            #expect(after.body.contains("You approved this request.") && after.body.contains("ok &lt;b&gt;"))
            let twice = try await alice.post(decide, form: [("decision", "approve"), ("csrf", csrf)])
            #expect(twice.status == 400 && twice.body.contains("already approved"))
            let late = try await bob.post(
                decide, form: [("decision", "deny"), ("csrf", bobsToken), ("comment", "late")])
            #expect(late.status == 400 && late.body.contains("already approved"))
            let denied = try await bob.post(
                "/approvals/\(second)", form: [("decision", "deny"), ("csrf", bobsToken), ("comment", "not now")])
            #expect(denied.status == 303)
            #expect(try await Self.status(stack, second) == .denied)

            let events = try await Evidence.auditEvents(stack.broker)
            let decisions = events.filter { ["approval.approve", "approval.deny"].contains($0.action) }
            #expect(decisions.count == 2)
            #expect(decisions.allSatisfy { $0.details["interface"] == "web" })
            #expect(decisions.first?.actor == "alice@example.com")
            #expect(events.filter { $0.action == "web.login" }.count == 3)
            #expect(AuditLeafVerifier.verify(events) == nil)

            // Logging out ends the session: its cookie opens nothing afterwards.
            let cookie = try #require(alice.cookies["__Host-hoop-session"])
            let out = try await alice.post("/logout", form: [("csrf", csrf)])
            #expect(out.status == 303 && out.location == "/login")
            alice.setCookie("__Host-hoop-session", cookie)
            #expect((try await alice.get("/approvals")).status == 303)
        }
    }

    @Test("self-approval through the page is refused with the CLI's reason")
    func selfApproval() async throws {
        try await Self.withStack { stack in
            try await stack.idp.addClient(
                "both", secret: "both-secret", groups: ["agents", "dba"], subject: "both", email: "both@example.com")
            let both = try await ClientCLI.loggedIn(stack.broker, name: "both", clientID: "both", secret: "both-secret")
            let asked = try await both.run(["exec", "pg-guarded", "--no-wait", "--", "DROP TABLE mine"])
            let id = try ApprovalsEndToEndTests.approvalID(in: asked.stderr)
            let page = try await Self.browser(stack, "both", groups: ["agents", "dba"])
            defer { Task { await page.shutdown() } }
            let csrf = try WebClient.csrf(in: (try await page.get("/approvals/\(id)")).body)
            let refused = try await page.post("/approvals/\(id)", form: [("decision", "approve"), ("csrf", csrf)])
            #expect(refused.status == 403)
            #expect(refused.body.contains("cannot decide it"))
            #expect(try await Self.status(stack, id) == .pending)
        }
    }

    @Test(
        "login attacks: a callback in the wrong browser or replayed, a code spliced into another login (PKCE), an open redirect"
    )
    func loginAttacks() async throws {
        try await Self.withStack { stack in
            let browser = try WebClient(stack.broker)
            defer { Task { await browser.shutdown() } }
            // Two logins in one browser: the second's state is in the login cookie.
            let first = try await browser.get("/login/oidc?issuer=\(WebClient.encode(stack.idp.issuer))")
            let firstState = try #require(browser.cookies["__Host-hoop-login"])
            let second = try await browser.get(
                "/login/oidc?issuer=\(WebClient.encode(stack.idp.issuer))&next=\(WebClient.encode("https://evil.example/"))"
            )
            let secondState = try #require(browser.cookies["__Host-hoop-login"])
            #expect(firstState != secondState)
            let authorize = try #require(second.location)
            #expect(authorize.contains("code_challenge_method=S256") && authorize.contains("nonce="))
            let asked = URLComponents(string: authorize)?.queryItems ?? []
            #expect(asked.first { $0.name == "redirect_uri" }?.value == stack.broker.url + "/login/callback")

            // The first login's callback in a browser whose cookie names the second: state mismatch.
            let firstBack = try await browser.authorizeAtIdP(
                try #require(first.location), username: "mallory", email: "m@example.com", groups: ["dba"])
            let mismatch = try await browser.get(firstBack)
            #expect(mismatch.status == 401 && mismatch.body.contains("was not started here"))
            #expect(browser.cookies["__Host-hoop-session"] == nil)

            // The first login's code with the second login's state: the broker redeems it with the second login's
            // PKCE verifier, and the IdP refuses the code.
            let code = try #require(URLComponents(string: firstBack)?.queryItems?.first { $0.name == "code" }?.value)
            let spliced = try await browser.get("/login/callback?code=\(code)&state=\(secondState)")
            #expect(spliced.status == 401 && spliced.body.contains("could not be redeemed"))
            #expect(browser.cookies["__Host-hoop-session"] == nil)

            // A callback without the login cookie (another browser, or someone who read the URL) finds nothing; the
            // browser that started the login still finishes it, and a hostile `next` is not followed.
            let third = try await browser.get(
                "/login/oidc?issuer=\(WebClient.encode(stack.idp.issuer))&next=\(WebClient.encode("//evil.example/x"))")
            let thirdBack = try await browser.authorizeAtIdP(
                try #require(third.location), username: "alice", email: "alice@example.com", groups: ["dba"])
            let stranger = try WebClient(stack.broker)
            defer { Task { await stranger.shutdown() } }
            #expect((try await stranger.get(thirdBack)).status == 401)
            #expect(stranger.cookies["__Host-hoop-session"] == nil)
            let done = try await browser.get(thirdBack)
            #expect(done.status == 303 && done.location == "/approvals", "the hostile next is not followed")
            // A state is good once: the same callback again finds no login.
            #expect((try await browser.get(thirdBack)).status == 401)

            let events = try await Evidence.auditEvents(stack.broker)
            let refusals = events.filter { $0.action == "web.login_refused" }.compactMap {
                $0.details["reason"]?.stringValue
            }
            #expect(refusals.filter { $0 == "state_mismatch" }.count == 3)  // the first login, the stranger, the replay
            #expect(refusals.contains("token_exchange_failed"))
            #expect(events.filter { $0.action == "web.login" }.count == 1)
        }
    }

    static func status(_ stack: Stack, _ id: Int64) async throws -> ApprovalStatus? {
        let store = try SQLiteStore(path: stack.broker.dataDir.appendingPathComponent("broker.db"))
        return try await store.approval(id: id)?.status
    }
}
