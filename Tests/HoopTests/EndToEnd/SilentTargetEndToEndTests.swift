import Foundation
import Testing

/// A target that accepts the broker's connection and then says nothing must not leave the client waiting: the
/// login is bounded, the client gets the engine's own error naming what the broker waited for, and the failure
/// is audited.
@Suite("End to end: a target that never answers")
struct SilentTargetEndToEndTests {
    @Test("PostgreSQL and MySQL resources on a silent port fail within the login timeout, clearly and audited")
    func silentTargets() async throws {
        let silent = try SilentListener()
        let resources = """
              - name: pg-silent
                type: postgres
                address: 127.0.0.1:\(silent.port)
                database: testdb
                username: nobody
                password_env: SILENT_PASSWORD
                tls: disable
                allow_groups: [agents]
              - name: my-silent
                type: mysql
                address: 127.0.0.1:\(silent.port)
                username: nobody
                password_env: SILENT_PASSWORD
                tls: disable
                allow_groups: [agents]
            """
        try await IdentityProvider.with { idp in
            let broker = try await BrokerProcess(
                issuer: idp.issuer, resourcesYAML: resources, environment: ["SILENT_PASSWORD": "unused"])
            defer { broker.remove() }
            try await broker.stoppingAfter {
                let agent = try await ClientCLI.loggedIn(broker)
                for resource in ["pg-silent", "my-silent"] {
                    let started = ContinuousClock.now
                    let attempt = try await agent.run(["exec", resource, "--", "select 1"], timeout: .seconds(90))
                    #expect(attempt.status != 0, "\(resource): \(attempt.stdout)")
                    #expect(attempt.stderr.contains("did not answer"), "\(resource): \(attempt.stderr)")
                    #expect(ContinuousClock.now - started < .seconds(80), "\(resource) waited too long")
                }
                let events = try await Evidence.auditEvents(broker)
                for resource in ["pg-silent", "my-silent"] {
                    let failure = events.first { $0.resource == resource && $0.action == "connection.error" }
                    #expect(failure?.details["code"]?.stringValue == "target_login_failed", "\(resource)")
                    #expect(failure?.details["message"]?.stringValue?.contains("did not answer") == true)
                }
            }
        }
    }
}
