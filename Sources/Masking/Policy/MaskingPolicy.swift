/// What a resource masks: the detectors run over every value, the strategy for their hits, whole-column rules and
/// operator-defined patterns.
///
/// The broker builds one from the resource's YAML `masking:` block. Everything that can be wrong with it (a pattern
/// that does not compile, a malformed column rule, a duplicate name) is rejected here, once, so that masking at
/// request time cannot fail.
package struct MaskingPolicy: Sendable {
    /// Built-in detectors that run on every value not covered by a column rule.
    package var detectors: [DetectorKind]
    /// The strategy for built-in detector hits.
    package var strategy: MaskingStrategy
    /// Whole-column rules; they take precedence over detectors.
    package var columns: [ColumnRule]
    /// Operator-defined patterns; they run on every value not covered by a column rule, like the detectors.
    package var custom: [CustomDetector]
    /// Who shares `hash` tokens: by default each identity has its own, so one agent's tokens say nothing about
    /// another's values.
    package var hashScope: MaskingHashScope = .identity

    /// The custom patterns, compiled once so no value ever pays for compilation.
    let compiledCustom: [CompiledCustomDetector]

    package init(
        detectors: [DetectorKind],
        strategy: MaskingStrategy,
        columns: [ColumnRule],
        custom: [CustomDetector]
    ) throws(MaskingPolicyError) {
        try Self.validate(strategy)
        var seenColumns = Set<String>()
        for rule in columns {
            try Self.validate(rule.strategy)
            guard seenColumns.insert(rule.name.lowercased()).inserted else { throw .duplicateColumnRule(rule.name) }
        }
        var seenNames = Set<String>()
        var compiled: [CompiledCustomDetector] = []
        for detector in custom {
            try Self.validate(detector.strategy)
            guard seenNames.insert(detector.name).inserted else { throw .duplicateCustomName(detector.name) }
            compiled.append(try CompiledCustomDetector(detector))
        }
        var uniqueDetectors: [DetectorKind] = []
        for kind in detectors where !uniqueDetectors.contains(kind) {
            uniqueDetectors.append(kind)
        }
        self.detectors = uniqueDetectors
        self.strategy = strategy
        self.columns = columns
        self.custom = custom
        self.compiledCustom = compiled
    }

    /// Builds a policy from the YAML spellings of detectors and the default strategy, so the broker's configuration
    /// loader does not have to duplicate the vocabulary.
    package init(
        detectorSpellings: [String],
        strategySpelling: String,
        columns: [ColumnRule],
        custom: [CustomDetector]
    ) throws(MaskingPolicyError) {
        var kinds: [DetectorKind] = []
        for spelling in detectorSpellings {
            guard let kind = DetectorKind(rawValue: spelling) else { throw .unknownDetector(spelling) }
            kinds.append(kind)
        }
        try self.init(
            detectors: kinds,
            strategy: try MaskingStrategy(spelling: strategySpelling),
            columns: columns,
            custom: custom
        )
    }

    private static func validate(_ strategy: MaskingStrategy) throws(MaskingPolicyError) {
        if case .partial(let keep) = strategy, keep < 1 { throw .invalidPartialLength(keep) }
    }
}
