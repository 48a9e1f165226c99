import Foundation
import Masking
import NIOCore

/// How one result column's values are masked, decided once per column from where its values come from.
enum CellMaskPlan: Equatable {
    /// Replace the whole value under this rule.
    case rule(ColumnRule)
    /// Run the detectors; `tokens` says whether `hash` may issue tokens (only for values with provenance).
    case detect(tokens: Bool)
    /// Replace the whole value: the column has no provenance on a resource with column rules.
    case withhold
}

/// Masks one value that travels as text under its column's plan, for every SQL engine: a rule or a withheld column
/// replaces the whole value (a JSON value stays parseable as a JSON string), detectors replace what they find.
/// Values are read in place; nothing is copied unless something is masked.
struct TextCellMasker {
    /// The summary label of a withheld value.
    static let withheldLabel = "unattributed"

    let masker: ValueMasker
    private let tokenless: ValueMasker
    private var summary = MaskingSummary()

    init(masker: ValueMasker) {
        self.masker = masker
        tokenless = masker.withoutTokens
    }

    /// What was masked since the last call.
    mutating func takeSummary() -> MaskingSummary {
        defer { summary = MaskingSummary() }
        return summary
    }

    /// The masked value, or nil when it stays as it is.
    mutating func mask(_ cell: ByteBuffer, plan: CellMaskPlan, json: Bool) -> ByteBuffer? {
        switch plan {
        case .rule(let rule):
            return whole(cell, strategy: rule.strategy, label: rule.name, json: json)
        case .withhold:
            return whole(cell, strategy: .redact, label: Self.withheldLabel, json: json)
        case .detect(let tokens):
            let detector = tokens ? masker : tokenless
            guard
                let masked = cell.withUnsafeReadableBytes({
                    detector.maskedBytes($0.assumingMemoryBound(to: UInt8.self))
                })
            else { return nil }
            summary.merge(masked.findings)
            return ByteBuffer(bytes: masked.bytes)
        }
    }

    /// A rule's replacement for the whole value.
    private mutating func whole(_ cell: ByteBuffer, strategy: MaskingStrategy, label: String, json: Bool)
        -> ByteBuffer
    {
        let masked = masker.mask(String(buffer: cell), column: strategy, label: label)
        summary.merge(masked.findings)
        guard json else { return ByteBuffer(string: masked.text) }
        let quoted = (try? JSONEncoder().encode(masked.text)).map { String(decoding: $0, as: UTF8.self) }
        return ByteBuffer(string: quoted ?? "\"[REDACTED]\"")
    }
}
