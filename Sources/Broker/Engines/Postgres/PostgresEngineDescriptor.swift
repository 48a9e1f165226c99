import HoopCore

/// `type: postgres`: the broker terminates the PostgreSQL protocol, so it can judge statements, mask result
/// columns and values, and hand clients a per-session login.
struct PostgresEngineDescriptor: EngineDescriptor {
    var type: ResourceType { .postgres }
    var capabilities: EngineCapabilities { [.clientLogin, .masking, .columnMasking] }
    var guardrails: GuardrailSubject? { .statements }

    /// `database`, `username`, `password_env` | `password_file`, `tls` (default `verify-full` for a target off this
    /// host, `prefer` on loopback), `ca_file` (the system's trust roots when absent), `allow_plaintext_password` and
    /// `allow_direct` (direct mode, which needs the broker's `postgres_direct` listener).
    func parseTarget(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> any ResourceTarget {
        let password = try node.requiredSecret("password", context)
        let (tls, caFile) = try node.targetTLS(context)
        return PostgresTarget(
            database: try node.requiredString("database"),
            username: try node.requiredString("username"),
            password: password,
            tls: tls,
            caFile: caFile,
            allowPlaintextPassword: try node.flag("allow_plaintext_password") ?? false,
            allowDirect: try node.flag("allow_direct") ?? false
        )
    }

    func makeEngine(_ environment: EngineEnvironment) throws -> any ProtocolEngine {
        PostgresEngine(logger: environment.logger, maskers: environment.maskers)
    }
}
