import Foundation
import Testing

@testable import Broker

/// What an `http` or `kubernetes` resource may say: a URL without a query, exactly one credential, TLS keys only
/// for https, rules of its own kind (HTTP keys on both, Kubernetes keys and command rules only on kubernetes, never
/// SQL or tool rules), known verbs, templates that can match a normalized path.
@Suite("HTTP and Kubernetes resources: config")
struct HTTPResourceConfigTests {
    private func load(_ type: String, _ resource: String) throws(ConfigError) -> BrokerConfig {
        try ConfigLoader.parse(
            yaml: """
                identity: [{issuer: http://127.0.0.1:9400, audience: hoop}]
                resources:
                  - name: api
                    type: \(type)
                \(resource)
                """,
            relativeTo: URL(fileURLWithPath: "/etc/hoop", isDirectory: true), checkSecrets: false)
    }

    private func refusal(_ resource: String, type: String = "http") -> ConfigError? {
        do {
            _ = try load(type, resource)
            return nil
        } catch {
            return error
        }
    }

    @Test("a valid resource of each flavor")
    func valid() throws {
        let http = try load(
            "http",
            """
                url: https://billing.internal:8443/api/
                credential: { basic: { user: svc, password_env: PW } }
                case_insensitive_paths: true
                guardrails:
                  - { name: d, match: { method: delete, path: "/v1/users/{id}", query: { force: "true" } }, action: block }
            """)
        let target = try #require(http.resources.first?.target(as: HTTPTarget.self))
        #expect(target.origin == "https://billing.internal:8443" && target.basePath == "/api")
        #expect(target.caseInsensitivePaths && target.flavor == .plain && target.tls != nil)
        #expect(http.resources.first?.guardrails.first?.match.methods == ["DELETE"])
        #expect(http.resources.first?.address.description == "billing.internal:8443")

        let kubernetes = try load(
            "kubernetes",
            """
                url: https://10.0.0.1:6443
                credential: { bearer_env: TOKEN }
                guardrails:
                  - { match: { verb: [DELETE], resource: [pods], namespace: [prod] }, action: block }
                  - { match: { resource: [pods/exec], classes: [recursive_delete] }, action: block }
            """)
        #expect(kubernetes.resources.first?.target(as: HTTPTarget.self)?.flavor == .kubernetes)
        #expect(kubernetes.resources.first?.guardrails.first?.match.verbs == ["delete"])
    }

    @Test("what neither flavor accepts")
    func refused() {
        #expect(refusal("    credential: { bearer_env: T }")?.path == "resources[0].url")
        #expect(refusal("    url: ftp://a/\n")?.path == "resources[0].url")
        #expect(refusal("    url: http://a/?q=1\n")?.path == "resources[0].url", "a query in the url")
        #expect(
            refusal("    url: http://a\n    credential: { bearer_env: T, header: { name: X-Key, value_env: K } }")?
                .message.contains("exactly one") == true)
        #expect(refusal("    url: http://a\n    tls: require")?.message.contains("https") == true)
        #expect(
            refusal("    url: http://a\n    credential: { client_certificate: { cert_file: c, key_file: k } }")?
                .message.contains("https") == true)
        #expect(refusal("    url: https://a\n    tls: disable")?.path == "resources[0].tls")
        #expect(
            refusal("    url: http://a\n    credential: { header: { name: \"X Key\", value_env: K } }")?.message
                .contains("header name") == true)
        #expect(refusal("    url: http://a\n    guardrails: [{ match: [drop], action: block }]") != nil, "SQL rules")
        #expect(
            refusal("    url: http://a\n    guardrails: [{ match: { path: users }, action: block }]")?.message
                .contains("start with /") == true)
        #expect(
            refusal("    url: http://a\n    guardrails: [{ match: { method: \"GE T\" }, action: block }]") != nil)
        #expect(
            refusal("    url: http://a\n    guardrails: [{ match: { verb: [delete] }, action: block }]")?.message
                .contains("kubernetes") == true, "verbs need a kubernetes resource")
        #expect(
            refusal("    url: http://a\n    guardrails: [{ match: { command: [\"rm *\"] }, action: block }]") != nil,
            "command rules need a kubernetes resource")
        #expect(
            refusal(
                "    url: http://a\n    guardrails: [{ match: { verb: [destroy] }, action: block }]", type: "kubernetes"
            )?
            .message.contains("unknown verb") == true)
        #expect(
            refusal("    url: http://a\n    guardrails: [{ match: { tool: x }, action: block }]", type: "kubernetes")
                != nil)
    }
}
