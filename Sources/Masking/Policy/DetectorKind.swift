/// A built-in family of sensitive values the broker can recognise inside free text.
///
/// The raw values are the spellings used in a resource's YAML `masking.detectors` list and the keys under which
/// hits are counted in a ``MaskingSummary``, so they are part of the configuration and evidence formats.
package enum DetectorKind: String, Sendable, CaseIterable {
    case email
    case paymentCard = "payment_card"
    case usSSN = "us_ssn"
    case phone
    case iban
    case ipAddress = "ip_address"
    case jwt
    case privateKey = "private_key"
    case cloudKeys = "cloud_keys"
}
