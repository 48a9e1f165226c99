import Foundation
import Testing

@testable import Broker

/// The policy digest follows the resource's definition: the same text gives the same digest wherever it sits in
/// the file, and any change to a rule gives another.
@Suite("Broker configuration: policy digests")
struct PolicyDigestTests {
    let base = URL(fileURLWithPath: "/etc/hoop", isDirectory: true)

    func digests(_ resources: String) throws -> [String: String] {
        let config = try ConfigLoader.parse(
            yaml: """
                listen: 127.0.0.1:8443
                data_dir: ./data
                identity:
                  - issuer: http://127.0.0.1:9400
                    audience: hoop
                resources:
                \(resources)
                """,
            relativeTo: base, checkSecrets: false)
        return Dictionary(uniqueKeysWithValues: config.resources.map { ($0.name, $0.policyDigest) })
    }

    static let guarded = """
          - name: pg
            type: postgres
            address: 127.0.0.1:5432
            database: app
            username: app
            password_env: PG_PASSWORD
            guardrails:
              - match: [drop, truncate]
                action: block
        """

    @Test("the same definition gives the same digest, key order and neighbours aside")
    func stable() throws {
        let alone = try digests(Self.guarded)
        let reordered = try digests(
            """
              - name: other
                type: tcp
                address: 127.0.0.1:9
              - type: postgres
                name: pg
                username: app
                address: 127.0.0.1:5432
                password_env: PG_PASSWORD
                database: app
                guardrails:
                  - action: block
                    match: [drop, truncate]
            """)
        #expect(alone["pg"]?.count == 64)
        #expect(alone["pg"] == reordered["pg"])
        #expect(reordered["other"] != reordered["pg"])
    }

    @Test("changing a guardrail, adding masking or widening who may connect changes the digest")
    func sensitive() throws {
        let original = try digests(Self.guarded)["pg"]
        let changes = [
            Self.guarded.replacingOccurrences(of: "[drop, truncate]", with: "[drop]"),
            Self.guarded + "\n    masking:\n      detectors: [email]",
            Self.guarded + "\n    allow_groups: [everyone]",
        ]
        for changed in changes {
            #expect(try digests(changed)["pg"] != original, "\(changed)")
        }
    }
}
