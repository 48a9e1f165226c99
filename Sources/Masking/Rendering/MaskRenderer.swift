/// Produces the text that replaces a masked value under a strategy.
struct MaskRenderer: Sendable {
    let key: MaskingKey
    /// Whether `hash` may issue tokens. Off for values whose origin the broker cannot vouch for (a literal the
    /// query chose, a notice text): a token there would let the query compare its guess with a stored value.
    var tokens = true

    func replacement(for value: String, label: HitLabel, strategy: MaskingStrategy, valueIsEmail: Bool) -> String {
        switch strategy {
        case .redact:
            return "[\(label.token)]"
        case .hash where !tokens:
            return "[\(label.token)]"
        case .hash:
            return "[\(label.token):\(key.tag(label: label.token, value: value.utf8))]"
        case .partial(let keep):
            if label == .privateKey { return "[\(label.token)]" }
            if valueIsEmail, let at = value.lastIndex(of: "@") {
                return String(repeating: "*", count: value[..<at].count) + value[at...]
            }
            return Self.partial(value, keep: keep)
        }
    }

    /// Stars every letter and digit except the last `keep` of them, keeping separators so the value's shape stays
    /// readable (`***-**-6789`). At most half of the letters and digits are kept, so a short value never passes
    /// through whole.
    static func partial(_ value: String, keep: Int) -> String {
        let maskable = value.reduce(0) { $0 + (isMaskable($1) ? 1 : 0) }
        let kept = min(keep, maskable / 2)
        var seen = 0
        var result = ""
        result.reserveCapacity(value.utf8.count)
        for character in value {
            if isMaskable(character) {
                seen += 1
                result.append(seen > maskable - kept ? character : "*")
            } else {
                result.append(character)
            }
        }
        return result
    }

    private static func isMaskable(_ character: Character) -> Bool {
        character.isLetter || character.isNumber
    }
}
