/// What masking found, as counts per detector, column rule or custom pattern.
///
/// Recordings and audit events store this next to the masked output so reviewers can see that masking happened and
/// where, without the evidence ever holding the original values: the keys are fixed names (`email`,
/// `payment_card`, `column:users.ssn`, `custom:employee_id`) and the values are counts.
package struct MaskingSummary: Sendable, Equatable {
    package var counts: [String: Int]

    package init(counts: [String: Int] = [:]) {
        self.counts = counts
    }

    /// Whether nothing was masked.
    package var isEmpty: Bool { counts.isEmpty }

    /// The number of values masked in all.
    package var total: Int { counts.values.reduce(0, +) }

    /// Adds another summary's counts, e.g. to total a result set cell by cell.
    package mutating func merge(_ other: MaskingSummary) {
        for (key, count) in other.counts { counts[key, default: 0] += count }
    }

    mutating func record(_ key: String) {
        counts[key, default: 0] += 1
    }
}
