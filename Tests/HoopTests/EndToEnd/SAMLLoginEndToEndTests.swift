import Foundation
import HoopCore
import Testing

@testable import Broker

/// SAML logins against a real SAML IdP process (pysaml2) and a real broker: `hoopctl login --saml`, the broker's
/// token and the groups it carries deciding access to a real PostgreSQL, and the ACS attacked as a hostile browser
/// would — replayed, spliced, unsolicited and doubled responses, stolen flow ids — each refused and audited.
@Suite("End to end: SAML logins", .serialized)
struct SAMLLoginEndToEndTests {
    struct Stack {
        var saml: SAMLTestIdP
        var broker: BrokerProcess
        var acs: String
    }

    /// The pysaml2 IdP, PostgreSQL and a broker trusting the IdP as `corp`, with `pg-dba` open to group `dba` (alice
    /// has it, bob does not). `web` also serves the approver page.
    static func withStack(
        web: Bool = false, extraProviders: (_ metadataURL: String) -> String = { _ in "" },
        _ body: (Stack) async throws -> Void,
        audited: ([AuditEvent]) throws -> Void = { _ in }
    ) async throws {
        try await IdentityProvider.with { oidc in
            try await SAMLTestIdP.with { saml in
                try await PostgresServer.with { pg in
                    let port = try TestEnvironment.freePort()
                    let base = "https://127.0.0.1:\(port)"
                    let acs = base + SAMLProviderConfig.assertionConsumerPath
                    try await saml.addServiceProvider(entityID: base + "/saml", acsURL: acs)
                    let broker = try await BrokerProcess(
                        issuer: oidc.issuer,
                        resourcesYAML: """
                              - name: pg-dba
                                type: postgres
                                address: 127.0.0.1:\(pg.port)
                                database: testdb
                                username: hoop_scram
                                password_env: PG_PASSWORD
                                allow_groups: [dba]
                            """,
                        extraYAML: web ? "web:\n  public_url: \(base)" : "",
                        identityProvidersYAML: """
                              - saml:
                                  name: corp
                                  metadata_url: \(saml.metadataURL.absoluteString)
                                  entity_id: \(base)/saml
                                  acs_url: \(acs)
                                  email_attribute: urn:oid:1.2.840.113549.1.9.1.1
                            \(extraProviders(saml.metadataURL.absoluteString))
                            """,
                        port: port,
                        environment: ["PG_PASSWORD": PostgresServer.password]
                    )
                    defer { broker.remove() }
                    try await broker.stoppingAfter {
                        try await body(Stack(saml: saml, broker: broker, acs: acs))
                    }
                    try audited(try await Evidence.auditEvents(broker))
                }
            }
        }
    }

    @Test("hoopctl login --saml: the broker's token carries the IdP's identity and groups, and they decide access")
    func loginDecidesAccess() async throws {
        try await Self.withStack { stack in
            let alice = try ClientCLI(broker: stack.broker, name: "alice")
            _ = try await alice.loginWithSAML(
                provider: "corp", idp: stack.saml, username: "alice", broker: stack.broker)
            let whoami = try await alice.run(["whoami", "--output", "json"])
            #expect(whoami.status == 0, "\(whoami.stderr)")
            let principal = try HoopJSON.decoder().decode(Principal.self, from: Data(whoami.stdout.utf8))
            #expect(principal.issuer == stack.saml.entityID, "the IdP's entity id names the person's issuer")
            #expect(principal.subject == "alice")
            #expect(principal.email == "alice@example.test")
            #expect(principal.groups.contains("dba"))
            let cache = try #require(
                FileManager.default.enumerator(atPath: alice.home.path)?.compactMap { $0 as? String }
                    .first { $0.hasSuffix("tokens.json") })
            let cached = try String(contentsOf: alice.home.appendingPathComponent(cache), encoding: .utf8)
            #expect(cached.contains("saml"), "the cached token says it came from a SAML login (renewed only by one)")

            let query = try await alice.run(["exec", "pg-dba", "--", "select 6 * 7 as answer"])
            #expect(query.status == 0, "\(query.stderr)")
            #expect(query.stdout.contains("42"))

            // psql through `hoopctl connect` with the same login: the target's credential stays in the broker.
            let (connect, port, _) = try await alice.connect("pg-dba")
            defer { connect.signal(SIGTERM) }
            let psql = try await PostgresServer.psql(
                port: port, ["-c", "select current_user"], password: try ApprovalsEndToEndTests.password(connect))
            #expect(psql.status == 0, "\(psql.stderr)")
            #expect(psql.stdout.contains("hoop_scram"))

            // bob is a real person at the same IdP, but not in dba: logged in, and refused the resource.
            let bob = try ClientCLI(broker: stack.broker, name: "bob")
            _ = try await bob.loginWithSAML(provider: "corp", idp: stack.saml, username: "bob", broker: stack.broker)
            let refused = try await bob.run(["exec", "pg-dba", "--", "select 1"])
            #expect(refused.status != 0)
            #expect(refused.stderr.contains("pg-dba"), "\(refused.stderr)")
            let bobsConnect = try await bob.run(["connect", "pg-dba", "--port", "0"], timeout: .seconds(30))
            #expect(bobsConnect.status != 0, "connect is refused as exec is")
        }
    }

    @Test("hostile responses at the ACS: replayed, spliced, unsolicited, doubled or unasked — refused and audited")
    func hostileResponses() async throws {
        try await Self.withStack { stack in
            let alice = try ClientCLI(broker: stack.broker, name: "alice")
            let genuine = try await alice.loginWithSAML(
                provider: "corp", idp: stack.saml, username: "alice", broker: stack.broker)
            let browser = try WebClient(stack.broker)
            defer { Task { await browser.shutdown() } }

            // The same response again: its flow is spent, and the assertion id is in the replay cache anyway.
            let replayed = try await browser.postSAML(genuine, origin: stack.saml.baseURL)
            #expect(replayed.status == 403)
            #expect(replayed.body.contains("saml_flow_unknown"), "\(replayed.body)")

            // Mallory answers a login of her own (as bob) and posts that response into alice's pending flow.
            let victimRun = try await alice.startSAMLLogin(provider: "corp")
            let (victim, victimURL) = (victimRun.process, victimRun.url)
            let malloryRun = try await alice.startSAMLLogin(provider: "corp")
            let (mallory, malloryURL) = (malloryRun.process, malloryRun.url)
            defer { mallory.signal(SIGTERM) }
            let victimsAnswer = try await stack.saml.login(redirectURL: victimURL, username: "alice")
            let mallorysAnswer = try await stack.saml.login(redirectURL: malloryURL, username: "bob")
            let spliced = try await browser.postSAML(
                mallorysAnswer, origin: stack.saml.baseURL, relayState: victimsAnswer.relayState)
            #expect(spliced.status == 403)
            #expect(spliced.body.contains("in_response_to"), "\(spliced.body)")
            // The victim's login ends with the refusal; its flow cannot be finished afterwards by the right answer.
            let victimStatus = try await victim.waitForExit(timeout: .seconds(30))
            #expect(victimStatus != 0)
            #expect(victim.stderr.contains("refused"), "\(victim.stderr)")
            let late = try await browser.postSAML(victimsAnswer, origin: stack.saml.baseURL)
            #expect(late.status == 403)

            // An IdP-initiated response carried into a pending flow: it answers no request, so it is refused.
            let pending = try await alice.startSAMLLogin(provider: "corp").process
            let pendingState = try Self.relayState(in: pending.stdout + pending.stderr)
            let unsolicited = try await stack.saml.unsolicitedResponse(
                spEntityID: stack.broker.url + "/saml", username: "alice")
            let unasked = try await browser.post(
                stack.acs, form: [("SAMLResponse", unsolicited), ("RelayState", pendingState)],
                origin: stack.saml.baseURL)
            #expect(unasked.status == 403, "\(unasked.body)")
            pending.signal(SIGTERM)

            // Two SAMLResponse fields: which one counts is not a question the broker answers.
            let doubled = try await browser.post(
                stack.acs,
                form: [
                    ("SAMLResponse", genuine.samlResponse), ("SAMLResponse", "PHg+"),
                    ("RelayState", genuine.relayState),
                ],
                origin: stack.saml.baseURL)
            #expect(doubled.status == 400)
            #expect(doubled.body.contains("saml_form_repeated"))

            // The token is collected only with the flow's poll secret, which never goes through the browser: the
            // flow id a browser saw is not enough.
            let waitingRun = try await alice.startSAMLLogin(provider: "corp")
            let (waiting, waitingURL) = (waitingRun.process, waitingRun.url)
            defer { waiting.signal(SIGTERM) }
            let guessed = try await Self.poll(
                stack.broker, flow: try Self.relayState(in: waitingURL.absoluteString), secret: "guess")
            #expect(guessed.status == 401)
            #expect(guessed.body.contains("saml_login_unknown"))
        } audited: { events in
            let logins = events.filter { $0.action == AuditAction.samlLogin.rawValue }
            #expect(logins.count == 1, "only the genuine login went through")
            #expect(logins.first?.details["subject"] == "alice")
            #expect(logins.first?.details["provider"] == "corp")
            let refusals = events.filter { $0.action == AuditAction.samlRejected.rawValue }
            let reasons = Set(
                refusals.compactMap { event -> String? in
                    if case .string(let reason) = event.details["reason"] { return reason }
                    return nil
                })
            #expect(reasons.contains("saml_flow_unknown"), "\(reasons)")
            // The replay and the late genuine answer find no flow; the splice and the unsolicited response answer
            // another request (or none).
            #expect(refusals.count == 4, "\(refusals.map(\.details))")
            #expect(reasons == ["saml_flow_unknown", "in_response_to_mismatch"], "\(reasons)")
            #expect(refusals.allSatisfy { $0.decision == .deny })
        }
    }

    @Test("phishing: a login link sent to someone else gives its sender no token — the code stays in her browser")
    func phishedLink() async throws {
        try await Self.withStack { stack in
            let mallory = try WebClient(stack.broker)
            defer { Task { await mallory.shutdown() } }
            let started = try await mallory.postJSON(
                APIPath.samlLogin, body: try HoopJSON.encoder().encode(SAMLLoginRequest(provider: "corp")))
            let start = try HoopJSON.decoder().decode(SAMLLoginStart.self, from: Data(started.body.utf8))
            // alice opens mallory's link and signs in; her browser is told the code, mallory's client is not.
            let victim = try WebClient(stack.broker)
            defer { Task { await victim.shutdown() } }
            let answer = try await stack.saml.login(
                redirectURL: try #require(URL(string: start.loginURL)), username: "alice")
            let page = try await victim.postSAML(answer, origin: stack.saml.baseURL)
            let code = try ClientCLI.confirmationCode(in: page.body)
            #expect(page.body.contains("give the code to nobody"))

            func poll(_ code: String?) async throws -> WebClient.Answer {
                try await mallory.postJSON(
                    APIPath.samlToken,
                    body: try HoopJSON.encoder().encode(
                        SAMLTokenRequest(flow: start.flow, pollSecret: start.pollSecret, code: code)))
            }
            let waiting = try await poll(nil)
            #expect(waiting.status == 200 && waiting.body.contains("confirm") && !waiting.body.contains("access_token"))
            for attempt in 1...SAMLLoginFlows.codeTries {
                let guessed = try await poll("BCDF-GHJ\(["K", "L", "M", "N", "P"][attempt - 1])")
                #expect(guessed.status == 401 && guessed.body.contains("saml_code_wrong"), "\(guessed.body)")
                #expect(!guessed.body.contains("access_token"))
            }
            // Five wrong codes void the login: even the right one is now worth nothing.
            let late = try await poll(code)
            #expect(late.status == 401 && late.body.contains("saml_login_unknown"), "\(late.body)")
        }
    }

    @Test("a provider whose metadata names an IdP another provider speaks for is refused, not merged")
    func issuerTaken() async throws {
        // `partner` stands for a partner's IdP whose metadata (or a swapped metadata_url) claims corp's entity id:
        // here the same pysaml2 IdP under a second provider name.
        let partner = { (metadataURL: String) in
            """
              - saml:
                  name: partner
                  metadata_url: \(metadataURL)
                  entity_id: https://127.0.0.1/saml-partner
                  acs_url: https://127.0.0.1/saml/acs
            """
        }
        try await Self.withStack(extraProviders: partner) { stack in
            let client = try WebClient(stack.broker)
            defer { Task { await client.shutdown() } }
            func start(_ provider: String) async throws -> WebClient.Answer {
                try await client.postJSON(
                    APIPath.samlLogin, body: try HoopJSON.encoder().encode(SAMLLoginRequest(provider: provider)))
            }
            let corp = try await start("corp")
            #expect(corp.status == 200, "\(corp.body)")
            let partner = try await start("partner")
            #expect(partner.status == 503)
            #expect(partner.body.contains("saml_issuer_taken") && partner.body.contains("SAML provider corp"))
        }
    }

    @Test("forged responses through the ACS (tampered, wrapped, unsigned, DTD): each refused with its reason, audited")
    func forgedResponses() async throws {
        try await Self.withStack { stack in
            try await stack.saml.sign(.assertion)
            let browser = try WebClient(stack.broker)
            defer { Task { await browser.shutdown() } }
            /// A pending login (as `hoopctl login --saml` starts one) and the IdP's genuine answer to it, as XML.
            func genuine() async throws -> (xml: String, relayState: String) {
                let started = try await browser.postJSON(
                    APIPath.samlLogin, body: try HoopJSON.encoder().encode(SAMLLoginRequest(provider: "corp")))
                let start = try HoopJSON.decoder().decode(SAMLLoginStart.self, from: Data(started.body.utf8))
                let login = try await stack.saml.login(
                    redirectURL: try #require(URL(string: start.loginURL)), username: "bob")
                let xml = String(decoding: try #require(Data(base64Encoded: login.samlResponse)), as: UTF8.self)
                return (xml, start.flow)
            }
            func post(_ xml: String, _ relayState: String) async throws -> WebClient.Answer {
                try await browser.post(
                    stack.acs,
                    form: [("SAMLResponse", Data(xml.utf8).base64EncodedString()), ("RelayState", relayState)],
                    origin: stack.saml.baseURL)
            }
            // bob becomes alice by editing the NameID of a signed assertion.
            let (first, firstFlow) = try await genuine()
            let tampered = try await post(first.replacingOccurrences(of: ">bob<", with: ">alice<"), firstFlow)
            #expect(tampered.status == 403 && tampered.body.contains("signature_invalid"), "\(tampered.body)")
            // XSW: the signed assertion hidden in Extensions, an unsigned one naming alice where a reader looks.
            let (second, secondFlow) = try await genuine()
            let assertion = try #require(
                second.firstMatch(of: /<ns1:Assertion .*<\/ns1:Assertion>/.dotMatchesNewlines())
            ).0
            let forged = assertion.replacingOccurrences(of: ">bob<", with: ">alice<")
                .replacing(/<ns2:Signature .*<\/ns2:Signature>/.dotMatchesNewlines(), with: "")
            let wrapped = second.replacingOccurrences(of: assertion, with: forged).replacingOccurrences(
                of: "<ns0:Status>", with: "<ns0:Extensions>\(assertion)</ns0:Extensions><ns0:Status>")
            let wrappedAnswer = try await post(wrapped, secondFlow)
            #expect(wrappedAnswer.status == 403 && wrappedAnswer.body.contains("assertion_count"))
            // The same forgery without the hidden original: nothing is signed.
            let (third, thirdFlow) = try await genuine()
            let thirdAssertion = try #require(
                third.firstMatch(of: /<ns1:Assertion .*<\/ns1:Assertion>/.dotMatchesNewlines())
            ).0
            let unsigned = third.replacingOccurrences(
                of: thirdAssertion,
                with: thirdAssertion.replacing(/<ns2:Signature .*<\/ns2:Signature>/.dotMatchesNewlines(), with: ""))
            let unsignedAnswer = try await post(unsigned, thirdFlow)
            #expect(unsignedAnswer.status == 403 && unsignedAnswer.body.contains("unsigned"))
            // An external entity asking for a local file, in a genuine response.
            let (fourth, fourthFlow) = try await genuine()
            let doctype = "<!DOCTYPE r [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
            let entity =
                if fourth.hasPrefix("<?xml"), let end = fourth.range(of: "?>") {
                    String(fourth[..<end.upperBound]) + doctype + String(fourth[end.upperBound...])
                } else {
                    doctype + fourth
                }
            let entityAnswer = try await post(entity, fourthFlow)
            #expect(entityAnswer.status == 403 && entityAnswer.body.contains("doctype_not_allowed"))
            #expect(!entityAnswer.body.contains("root:"))
        } audited: { events in
            let reasons = events.filter { $0.action == AuditAction.samlRejected.rawValue }.compactMap {
                event -> String? in
                if case .string(let reason) = event.details["reason"] { return reason }
                return nil
            }
            #expect(reasons == ["signature_invalid", "assertion_count", "unsigned", "doctype_not_allowed"])
            #expect(events.filter { $0.action == AuditAction.samlLogin.rawValue }.isEmpty)
        }
    }

    @Test("a SAML login opens the approver page: the login page offers it, and the ACS gives a page session")
    func pageLogin() async throws {
        try await Self.withStack(web: true) { stack in
            let browser = try WebClient(stack.broker)
            defer { Task { await browser.shutdown() } }
            let loginPage = try await browser.get("/login?next=%2Fapprovals")
            #expect(loginPage.body.contains("Log in with corp (SAML)"))
            let start = try await browser.get("/saml/login?provider=corp&next=%2Fapprovals")
            #expect(start.status == 303)
            let idpURL = try #require(start.location.flatMap(URL.init(string:)))
            #expect(idpURL.absoluteString.hasPrefix(stack.saml.baseURL))
            let answer = try await stack.saml.login(redirectURL: idpURL, username: "alice")
            let landed = try await browser.postSAML(answer, origin: stack.saml.baseURL)
            #expect(landed.status == 303, "\(landed.status) \(landed.body)")
            #expect(landed.location == "/approvals")
            #expect(browser.cookies["__Host-hoop-session"] != nil)
            let list = try await browser.get("/approvals")
            #expect(list.status == 200)
            #expect(list.body.contains("alice"))

            // Login CSRF: mallory starts a page login in her browser, answers it as bob, and has alice's browser
            // post her response. It came back through another browser, so it opens nothing.
            let mallory = try WebClient(stack.broker)
            defer { Task { await mallory.shutdown() } }
            let trap = try await mallory.get("/saml/login?provider=corp&next=%2Fapprovals")
            let trapAnswer = try await stack.saml.login(
                redirectURL: try #require(trap.location.flatMap(URL.init(string:))), username: "bob")
            let victim = try WebClient(stack.broker)
            defer { Task { await victim.shutdown() } }
            let planted = try await victim.postSAML(trapAnswer, origin: stack.saml.baseURL)
            #expect(planted.status == 403)
            #expect(planted.body.contains("saml_browser_mismatch"), "\(planted.body)")
            #expect(victim.cookies["__Host-hoop-session"] == nil)

            // A hostile next is not followed: the login lands on the list.
            let other = try WebClient(stack.broker)
            defer { Task { await other.shutdown() } }
            let away = try await other.get("/saml/login?provider=corp&next=%2F%2Fevil.example")
            let otherAnswer = try await stack.saml.login(
                redirectURL: try #require(away.location.flatMap(URL.init(string:))), username: "bob")
            let back = try await other.postSAML(otherAnswer, origin: stack.saml.baseURL)
            #expect(back.location == "/approvals")
        }
    }

    /// The RelayState (the flow id) inside the IdP URL a login printed.
    static func relayState(in output: String) throws -> String {
        guard let match = output.firstMatch(of: /RelayState=([0-9A-Za-z_\-]+)/) else {
            throw PeerError("no RelayState in: \(output)")
        }
        return String(match.1)
    }

    /// A poll for a flow's token, as any client could send it.
    static func poll(_ broker: BrokerProcess, flow: String, secret: String) async throws -> WebClient.Answer {
        let client = try WebClient(broker)
        defer { Task { await client.shutdown() } }
        return try await client.postJSON(
            APIPath.samlToken, body: try HoopJSON.encoder().encode(SAMLTokenRequest(flow: flow, pollSecret: secret)))
    }
}
