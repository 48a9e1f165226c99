import HoopCore

/// Every engine the broker has. Registering an engine here is all that connects it to the config loader, the
/// session manager and the tunnel gate.
enum EngineCatalog {
    static let descriptors: [any EngineDescriptor] = [
        TCPEngineDescriptor(),
        PostgresEngineDescriptor(),
        MySQLEngineDescriptor(),
        SSHEngineDescriptor(),
        MCPEngineDescriptor(),
        HTTPEngineDescriptor(flavor: .plain),
        HTTPEngineDescriptor(flavor: .kubernetes),
    ]

    static func descriptor(for type: ResourceType) -> (any EngineDescriptor)? {
        descriptors.first { $0.type == type }
    }

    /// The types the config accepts, for messages.
    static var knownTypes: [ResourceType] { descriptors.map(\.type) }
}

/// The engines of a running broker, one per registered type, built once at start.
struct EngineRegistry: Sendable {
    private let engines: [ResourceType: any ProtocolEngine]

    init(_ environment: EngineEnvironment) throws {
        var engines: [ResourceType: any ProtocolEngine] = [:]
        for descriptor in EngineCatalog.descriptors {
            engines[descriptor.type] = try descriptor.makeEngine(environment)
        }
        self.engines = engines
    }

    /// The engine serving `type`. Every type a loaded config names has one, because the loader accepts only the
    /// catalog's types; a miss is a broker defect and refuses the connection rather than guess.
    func engine(for type: ResourceType) throws(BrokerError) -> any ProtocolEngine {
        guard let engine = engines[type] else {
            throw BrokerError(
                .internalFailure, code: "engine_missing", message: "this broker has no engine for \(type) resources")
        }
        return engine
    }
}
