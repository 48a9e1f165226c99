import HoopCore

/// `type: postgres`: the broker terminates the PostgreSQL protocol, so it can judge statements, mask result
/// columns and values, and hand clients a per-session login.
struct PostgresEngineDescriptor: EngineDescriptor {
    var type: ResourceType { .postgres }
    var capabilities: EngineCapabilities { [.clientLogin, .masking, .columnMasking] }
    var guardrails: GuardrailSubject? { .statements }

    /// `database`, `username`, `password_env` | `password_file`, `tls` and `ca_file`.
    func parseTarget(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> any ResourceTarget {
        guard let password = try node.secret("password", context) else {
            throw ConfigError(path: node.path, message: "needs password_env or password_file for the target login")
        }
        let tlsText = try node.string("tls") ?? PostgresTLSMode.prefer.rawValue
        guard let tls = PostgresTLSMode(rawValue: tlsText) else {
            let modes = PostgresTLSMode.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigError(path: "\(node.path).tls", message: "expected one of \(modes), got '\(tlsText)'")
        }
        let caFile = try node.string("ca_file").map { ConfigLoader.resolve($0, against: context.base) }
        if tls == .verifyFull && caFile == nil {
            throw ConfigError(path: "\(node.path).ca_file", message: "is required with tls: verify-full")
        }
        return PostgresTarget(
            database: try node.requiredString("database"),
            username: try node.requiredString("username"),
            password: password,
            tls: tls,
            caFile: caFile
        )
    }

    func makeEngine(_ environment: EngineEnvironment) throws -> any ProtocolEngine {
        PostgresEngine(logger: environment.logger, maskers: environment.maskers)
    }
}
