import Masking

extension ConfigLoader {
    /// Reads a resource's `masking:` block into a validated policy. Unknown detectors, strategies, bad column
    /// patterns and invalid custom patterns stop the broker with the block's path.
    static func masking(_ node: inout ConfigNode, engine: any EngineDescriptor) throws(ConfigError)
        -> MaskingPolicy?
    {
        guard var block = try node.mapping("masking") else { return nil }
        guard engine.capabilities.contains(.masking) else {
            throw ConfigError(
                path: block.path,
                message: "the \(engine.type) engine relays opaque bytes and cannot mask them; "
                    + "masking needs a protocol engine such as postgres or ssh"
            )
        }
        let detectors = try block.stringList("detectors") ?? DetectorKind.allCases.map(\.rawValue)
        let strategy = try block.string("strategy") ?? "redact"
        let hashScopeSpelling = try block.string("hash_scope") ?? MaskingHashScope.identity.rawValue
        guard let hashScope = MaskingHashScope(rawValue: hashScopeSpelling) else {
            throw ConfigError(
                path: "\(block.path).hash_scope",
                message: "unknown hash_scope '\(hashScopeSpelling)': use identity or resource")
        }
        do {
            var columns: [ColumnRule] = []
            for (pattern, spelling) in try block.textMapping("columns") ?? [] {
                columns.append(try ColumnRule(pattern: pattern, strategy: try MaskingStrategy(spelling: spelling)))
            }
            var custom: [CustomDetector] = []
            for var item in try block.mappings("custom") ?? [] {
                custom.append(
                    CustomDetector(
                        name: try item.requiredString("name"),
                        pattern: try item.requiredString("regex"),
                        strategy: try MaskingStrategy(spelling: try item.string("strategy") ?? strategy)
                    )
                )
                try item.rejectUnknownKeys()
            }
            try block.rejectUnknownKeys()
            if !engine.capabilities.contains(.columnMasking), !columns.isEmpty {
                throw ConfigError(
                    path: "\(block.path).columns",
                    message: "\(engine.type) output has no columns; mask it with detectors and custom patterns")
            }
            var policy = try MaskingPolicy(
                detectorSpellings: detectors, strategySpelling: strategy, columns: columns, custom: custom)
            policy.hashScope = hashScope
            return policy
        } catch let error as ConfigError {
            throw error
        } catch {
            throw ConfigError(path: block.path, message: "\(error)")
        }
    }
}
