/// Resource entries for the brokers the end-to-end tests start: one place that knows how a test PostgreSQL
/// resource is written, so each suite states only what makes its resources different.
enum TestResources {
    /// A `postgres` resource on the test cluster at `port`, logging in as `user` with the held password from
    /// `PG_PASSWORD`; `extra` is YAML for the resource's own keys (masking, guardrails), indented by two spaces.
    static func postgres(
        _ name: String, port: Int, user: String = "hoop_scram", groups: [String] = ["agents"], extra: String = ""
    ) -> String {
        let lines = [
            "  - name: \(name)",
            "    type: postgres",
            "    address: 127.0.0.1:\(port)",
            "    database: testdb",
            "    username: \(user)",
            "    password_env: PG_PASSWORD",
            "    allow_groups: [\(groups.joined(separator: ", "))]",
        ]
        let own = extra.split(separator: "\n", omittingEmptySubsequences: true).map { "    " + $0 }
        return (lines + own).joined(separator: "\n")
    }
}
