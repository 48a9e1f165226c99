/// Masks whole values: a result cell, a notice or error text, a COPY row.
///
/// A masker is built once per resource policy and shared by every session of that resource; masking a value
/// allocates only when something is found.
package struct ValueMasker: Sendable {
    /// The policy this masker enforces.
    package let policy: MaskingPolicy
    private let scanner: BuiltinScanner
    private var renderer: MaskRenderer

    package init(policy: MaskingPolicy, key: MaskingKey) {
        self.policy = policy
        self.scanner = BuiltinScanner(detectors: policy.detectors, strategy: policy.strategy)
        self.renderer = MaskRenderer(key: key)
    }

    /// The same policy under a key derived for `scope` (resource, identity): see ``MaskingKey/derived(scope:)``.
    package func scoped(to scope: [String]) -> ValueMasker {
        var copy = self
        copy.renderer = MaskRenderer(key: renderer.key.derived(scope: scope), tokens: renderer.tokens)
        return copy
    }

    /// The same masker with `hash` rendered as `redact`, for values whose origin the broker cannot vouch for: a token
    /// for a value the query itself supplied (a literal, a notice text) would confirm or refute a guess.
    package var withoutTokens: ValueMasker {
        var copy = self
        copy.renderer.tokens = false
        return copy
    }

    /// Whether `hash` issues tokens under this masker.
    package var issuesTokens: Bool { renderer.tokens }

    /// The column rule covering a result column, if any. A rule naming the table beats a `*.column` rule; when the
    /// table is unknown (an expression, a view the protocol does not name) only `*.column` rules can apply.
    package func columnRule(table: String?, column: String) -> ColumnRule? {
        var wildcard: ColumnRule? = nil
        for rule in policy.columns where rule.matches(table: table, column: column) {
            if rule.table != nil { return rule }
            wildcard = wildcard ?? rule
        }
        return wildcard
    }

    /// Runs the detectors and custom patterns over `text`; returns it unchanged with empty findings when nothing
    /// matches.
    package func mask(_ text: String) -> MaskedText {
        var utf8Text = text
        let masked: MaskedBytes? = utf8Text.withUTF8 { bytes in
            let hits = findHits(in: bytes, customText: text)
            return hits.isEmpty ? nil : render(bytes, hits: hits)
        }
        guard let masked else { return MaskedText(text: text, findings: MaskingSummary()) }
        return MaskedText(text: String(decoding: masked.bytes, as: UTF8.self), findings: masked.findings)
    }

    /// Masks raw bytes (COPY data, a protocol field that is not known to be text). Bytes that are not UTF-8 pass
    /// through untouched; detectors and custom patterns still run over the text around them.
    package func mask(bytes: some Collection<UInt8>) -> MaskedBytes {
        let input = Array(bytes)
        return input.withUnsafeBufferPointer { buffer in
            let hits = findHits(in: buffer, customText: nil)
            return hits.isEmpty ? MaskedBytes(bytes: input, findings: MaskingSummary()) : render(buffer, hits: hits)
        }
    }

    /// Masks a whole value under a column rule, whatever it holds. `label` names the rule in summaries
    /// (`column:<label>`), normally ``ColumnRule/name``. Redaction gives `[REDACTED]`; hashing gives
    /// `[REDACTED:<tag>]` keyed on the value alone, so equal values in different columns still join.
    /// Masks bytes without copying them first: nil when nothing in them is masked, which is most values, so a
    /// caller relaying them can keep its own buffer.
    package func maskedBytes(_ bytes: UnsafeBufferPointer<UInt8>) -> MaskedBytes? {
        let hits = findHits(in: bytes, customText: nil)
        return hits.isEmpty ? nil : render(bytes, hits: hits)
    }

    package func mask(_ text: String, column strategy: MaskingStrategy, label: String) -> MaskedText {
        let hitLabel = HitLabel.column(label)
        let replacement = renderer.replacement(
            for: text,
            label: hitLabel,
            strategy: strategy,
            valueIsEmail: isWholeEmail(text)
        )
        var findings = MaskingSummary()
        findings.record(hitLabel.summaryKey)
        return MaskedText(text: replacement, findings: findings)
    }

    /// All hits in `bytes`, unresolved. `customText` is the same bytes as a `String` when the caller has one.
    func findHits(in bytes: UnsafeBufferPointer<UInt8>, customText: String?) -> [DetectorHit] {
        var hits: [DetectorHit] = []
        scanner.scan(ScanText(bytes: bytes), into: &hits)
        guard !policy.compiledCustom.isEmpty else { return hits }
        if let customText {
            for detector in policy.compiledCustom { detector.scan(customText, base: 0, into: &hits) }
            return hits
        }
        for run in UTF8Runs.valid(in: bytes) {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[run]), as: UTF8.self)
            for detector in policy.compiledCustom { detector.scan(text, base: run.lowerBound, into: &hits) }
        }
        return hits
    }

    /// Replaces the winning hits, building the output left to right from the untouched spans between them.
    func render(_ bytes: UnsafeBufferPointer<UInt8>, hits: [DetectorHit]) -> MaskedBytes {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + 16)
        var findings = MaskingSummary()
        var position = 0
        for hit in DetectorHit.resolve(hits) {
            output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position..<hit.range.lowerBound]))
            let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[hit.range]), as: UTF8.self)
            let replacement = renderer.replacement(
                for: value,
                label: hit.label,
                strategy: hit.strategy,
                valueIsEmail: hit.label == .email
            )
            output.append(contentsOf: replacement.utf8)
            findings.record(hit.label.summaryKey)
            position = hit.range.upperBound
        }
        output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[position...]))
        return MaskedBytes(bytes: output, findings: findings)
    }

    private func isWholeEmail(_ text: String) -> Bool {
        guard text.utf8.contains(ASCII.at) else { return false }
        var copy = text
        return copy.withUTF8 { bytes in
            var collector = HitCollector(strategy: .redact)
            EmailDetector.scan(ScanText(bytes: bytes), into: &collector)
            return collector.hits.count == 1 && collector.hits[0].range == 0..<bytes.count
        }
    }
}
