import Foundation

/// `now` with the allowed clock skew between us and the IdP: a time bound is met when it is met within the skew, and
/// a bound that cannot be read is refused, never skipped.
struct ValidityWindow {
    let now: Date
    let skew: TimeInterval

    func checkNotBefore(_ text: String?) throws(SAMLRejection) {
        guard let text else { return }
        if now.addingTimeInterval(skew) < (try Self.date(text)) { throw .notYetValid(text) }
    }

    @discardableResult
    func checkNotOnOrAfter(_ text: String) throws(SAMLRejection) -> Date {
        let date = try Self.date(text)
        if now.addingTimeInterval(-skew) >= date { throw .expired(text) }
        return date
    }

    private static func date(_ text: String) throws(SAMLRejection) -> Date {
        guard let date = SAMLTime.parse(text) else { throw .malformedElement("\(text) is not a UTC xs:dateTime") }
        return date
    }
}
