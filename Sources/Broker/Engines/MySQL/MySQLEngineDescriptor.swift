import HoopCore

/// `type: mysql`: the broker terminates the MySQL protocol (MySQL and MariaDB servers), so it can judge statements,
/// mask result columns and values, and hand clients a per-session login.
struct MySQLEngineDescriptor: EngineDescriptor {
    var type: ResourceType { .mysql }
    /// Column definitions name each value's schema, table and original column, so column rules apply.
    var capabilities: EngineCapabilities { [.clientLogin, .masking, .columnMasking] }
    var guardrails: GuardrailSubject? { .statements }

    /// `username`, `password_env` | `password_file`, optional `database`, `tls` (default `verify-full` for a target
    /// off this host, `prefer` on loopback), `ca_file`, and `allow_local_infile`.
    func parseTarget(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> any ResourceTarget {
        let password = try node.requiredSecret("password", context)
        let (tls, caFile) = try node.targetTLS(context)
        return MySQLTarget(
            database: try node.string("database"),
            username: try node.requiredString("username"),
            password: password,
            tls: tls,
            caFile: caFile,
            allowLocalInfile: try node.flag("allow_local_infile") ?? false
        )
    }

    func makeEngine(_ environment: EngineEnvironment) throws -> any ProtocolEngine {
        MySQLEngine(logger: environment.logger, maskers: environment.maskers)
    }
}
