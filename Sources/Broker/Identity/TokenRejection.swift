package import Foundation
import HoopCore

/// Why a bearer token was refused. Each case has a stable `code` (for audit events and API errors) and a message
/// precise enough for the caller to fix the problem without the broker leaking key material.
package enum TokenRejection: Error, Sendable, Equatable, CustomStringConvertible {
    case missing
    case malformed(String)
    case unsigned
    case algorithmNotAllowed(String)
    case algorithmKeyMismatch(algorithm: String, keyType: String)
    case untrustedIssuer(String?)
    case unknownKeyID(String)
    case missingKeyID
    case badSignature
    case expired(Date)
    case notYetValid(Date)
    case missingClaim(String)
    case wrongAudience(expected: String, got: [String])
    /// An ID token that does not answer this login: its nonce is not the one the login sent.
    case wrongNonce
    case issuerUnavailable(issuer: String, reason: String)

    package var code: String {
        switch self {
        case .missing: "token_missing"
        case .malformed: "token_malformed"
        case .unsigned: "token_unsigned"
        case .algorithmNotAllowed: "token_algorithm_not_allowed"
        case .algorithmKeyMismatch: "token_algorithm_key_mismatch"
        case .untrustedIssuer: "token_untrusted_issuer"
        case .unknownKeyID: "token_unknown_kid"
        case .missingKeyID: "token_missing_kid"
        case .badSignature: "token_bad_signature"
        case .expired: "token_expired"
        case .notYetValid: "token_not_yet_valid"
        case .missingClaim: "token_missing_claim"
        case .wrongAudience: "token_wrong_audience"
        case .wrongNonce: "token_wrong_nonce"
        case .issuerUnavailable: "issuer_unavailable"
        }
    }

    package var description: String {
        switch self {
        case .missing:
            "no bearer token was presented"
        case .malformed(let detail):
            "the token is not a well-formed JWS: \(detail)"
        case .unsigned:
            "the token is unsigned (alg \"none\"); only signed tokens are accepted"
        case .algorithmNotAllowed(let algorithm):
            "signature algorithm \(algorithm) is not allowed for this issuer"
        case .algorithmKeyMismatch(let algorithm, let keyType):
            "the token claims \(algorithm) but its key is of type \(keyType)"
        case .untrustedIssuer(let issuer):
            issuer.map { "issuer \($0) is not trusted by this broker" } ?? "the token names no issuer"
        case .unknownKeyID(let kid):
            "signing key \(kid) is not published by the issuer"
        case .missingKeyID:
            "the token names no signing key (kid) and the issuer publishes several"
        case .badSignature:
            "the token's signature does not verify"
        case .expired(let date):
            "the token expired at \(Timestamp.format(date))"
        case .notYetValid(let date):
            "the token is not valid before \(Timestamp.format(date))"
        case .missingClaim(let claim):
            "the token lacks the required claim \(claim)"
        case .wrongAudience(let expected, let got):
            "the token is for audience \(got.isEmpty ? "(none)" : got.joined(separator: ", ")), not \(expected)"
        case .wrongNonce:
            "the ID token's nonce is not the one this login sent"
        case .issuerUnavailable(let issuer, let reason):
            "cannot obtain signing keys from \(issuer): \(reason)"
        }
    }
}
