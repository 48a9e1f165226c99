import HoopCore

/// `type: tcp`: bytes relayed and recorded as they are. The engine reads nothing of the protocol, so it offers no
/// control that needs reading it (guardrails, masking) and no login of its own.
struct TCPEngineDescriptor: EngineDescriptor {
    var type: ResourceType { .tcp }
    var capabilities: EngineCapabilities { [] }
    var guardrails: GuardrailSubject? { nil }

    func parseTarget(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> any ResourceTarget {
        AddressOnlyTarget()
    }

    func makeEngine(_ environment: EngineEnvironment) throws -> any ProtocolEngine {
        TCPEngine(logger: environment.logger)
    }
}
