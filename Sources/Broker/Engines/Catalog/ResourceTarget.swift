/// How the broker reaches and logs in to one resource's target, as its engine's descriptor read it from the
/// config. Each engine declares its own type and finds it again with `ResourceConfig.target(as:)`.
package protocol ResourceTarget: Sendable {}

/// The target of an engine that needs nothing beyond the resource's address.
package struct AddressOnlyTarget: ResourceTarget {}

extension ResourceConfig {
    /// This resource's target as the engine that parsed it typed it; nil for another engine's resource.
    func target<Target: ResourceTarget>(as type: Target.Type) -> Target? {
        target as? Target
    }
}
