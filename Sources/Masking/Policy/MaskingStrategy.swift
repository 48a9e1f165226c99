/// How a recognised value is replaced before it leaves the broker.
///
/// - `redact` replaces the value with its label (`[EMAIL]`), which reveals only what kind of value was there.
/// - `partial` keeps the last `keep` letters or digits (never more than half of them) and stars the rest while
///   keeping separators, so an operator can still tell two cards apart (`**** **** **** 4242`). Emails keep their
///   domain and star the local part instead; private keys are always redacted whole.
/// - `hash` replaces the value with a keyed token (`[EMAIL:3f9a1c0d2b]`) that is identical for identical values
///   under the same ``MaskingKey``, so joins and group-bys on masked columns still line up.
package enum MaskingStrategy: Sendable, Equatable {
    case redact
    case partial(keep: Int = 4)
    case hash

    /// Parses the YAML spelling of a strategy: `redact`, `partial` (keeps the last 4) or `hash`.
    package init(spelling: String) throws(MaskingPolicyError) {
        switch spelling {
        case "redact": self = .redact
        case "partial": self = .partial()
        case "hash": self = .hash
        default: throw .unknownStrategy(spelling)
        }
    }

    /// The YAML spelling, as summaries show it.
    package var spelling: String {
        switch self {
        case .redact: "redact"
        case .partial: "partial"
        case .hash: "hash"
        }
    }
}
