import Foundation
import HoopCore

/// Everything the broker needs to know about one kind of resource, declared by its engine in one place: how its
/// config is read, what its engine can enforce, and how to build the engine when the broker starts.
///
/// The rest of the broker asks the descriptor instead of comparing resource types, so adding an engine is a new
/// folder with a descriptor and one line in `EngineCatalog`.
protocol EngineDescriptor: Sendable {
    /// The `type:` a resource names in the config.
    var type: ResourceType { get }
    /// What the engine understands of the bytes it relays, which decides the controls a resource may configure.
    var capabilities: EngineCapabilities { get }
    /// What the engine's guardrails judge; nil when it reads nothing it could judge.
    var guardrails: GuardrailSubject? { get }
    /// Reads the engine's own keys of a resource mapping (the target's login, TLS, permissions). Keys it does not
    /// read are refused afterwards by the loader, so a key meant for another engine is reported, not ignored.
    func parseTarget(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> any ResourceTarget
    /// Where the target is, from the resource's keys: `address:` for an engine that dials one.
    func address(_ node: inout ConfigNode) throws(ConfigError) -> HostPort
    /// Builds the engine once, when the broker starts.
    func makeEngine(_ environment: EngineEnvironment) throws -> any ProtocolEngine
}

extension EngineDescriptor {
    func address(_ node: inout ConfigNode) throws(ConfigError) -> HostPort {
        try ConfigLoader.hostPort(try node.requiredString("address"), path: "\(node.path).address")
    }
}

/// What a descriptor may consult while it reads a resource's target keys.
struct TargetParsing: Sendable {
    /// The config file's directory: relative paths resolve against it.
    var base: URL
    /// The environment secrets are checked against; nil when the command never reaches a target, so held
    /// credentials need not be present (`broker audit`, `broker pubkey`).
    var environment: [String: String]?
    /// The resource's masking policy, already read: engines whose side channels the masker cannot read refuse
    /// to open them on a masked resource.
    var isMasked: Bool
    /// Where the target is: engines pick safer transport defaults for targets off this host.
    var address: HostPort
}
