/// What a hit is called: the token shown in place of a redacted value and the key it is counted under.
struct HitLabel: Sendable, Equatable {
    /// Upper-case token text without brackets, e.g. `EMAIL` or `AWS_KEY`.
    var token: String
    /// Summary key, e.g. `email`, `cloud_keys` or `custom:employee_id`.
    var summaryKey: String

    static let email = HitLabel(token: "EMAIL", summaryKey: DetectorKind.email.rawValue)
    static let paymentCard = HitLabel(token: "PAYMENT_CARD", summaryKey: DetectorKind.paymentCard.rawValue)
    static let usSSN = HitLabel(token: "US_SSN", summaryKey: DetectorKind.usSSN.rawValue)
    static let phone = HitLabel(token: "PHONE", summaryKey: DetectorKind.phone.rawValue)
    static let iban = HitLabel(token: "IBAN", summaryKey: DetectorKind.iban.rawValue)
    static let ipAddress = HitLabel(token: "IP_ADDRESS", summaryKey: DetectorKind.ipAddress.rawValue)
    static let jwt = HitLabel(token: "JWT", summaryKey: DetectorKind.jwt.rawValue)
    static let privateKey = HitLabel(token: "PRIVATE_KEY", summaryKey: DetectorKind.privateKey.rawValue)
    static let awsKey = HitLabel(token: "AWS_KEY", summaryKey: DetectorKind.cloudKeys.rawValue)
    static let githubToken = HitLabel(token: "GITHUB_TOKEN", summaryKey: DetectorKind.cloudKeys.rawValue)
    static let slackToken = HitLabel(token: "SLACK_TOKEN", summaryKey: DetectorKind.cloudKeys.rawValue)
    static let stripeKey = HitLabel(token: "STRIPE_KEY", summaryKey: DetectorKind.cloudKeys.rawValue)
    static let secret = HitLabel(token: "SECRET", summaryKey: DetectorKind.cloudKeys.rawValue)

    /// Whole-column masking: the value's kind is unknown, only that the column is sensitive.
    static func column(_ ruleName: String) -> HitLabel {
        HitLabel(token: "REDACTED", summaryKey: "column:\(ruleName)")
    }

    static func custom(_ name: String) -> HitLabel {
        HitLabel(token: name.uppercased(), summaryKey: "custom:\(name)")
    }
}
