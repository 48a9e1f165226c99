/// The protocol's only spelling of a size: ASCII digits, no sign, no leading zero (except `0` itself). Refusing
/// every other spelling keeps one request from having two readings.
enum CanonicalDecimal {
    static func parse(_ text: some StringProtocol) -> Int64? {
        guard let value = Int64(text), value >= 0, String(value) == text else { return nil }
        return value
    }
}
