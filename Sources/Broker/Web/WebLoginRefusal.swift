/// Why a web login did not finish. Each has a stable `code` for the audit trail and a sentence for the login page.
enum WebLoginRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The source has had too many refused logins this window; its callback is not even looked at.
    case throttled
    /// The callback's `state` names no login this browser started (forged, replayed, expired, or another browser's).
    case stateMismatch
    case identityProviderError(String, String?)
    case noCode
    case tokenExchange(String)
    /// The access token was refused by the same checks as on the API.
    case token(String)
    case issuerMismatch(String, String)
    case noIDToken
    case idToken(TokenRejection)
    case subjectMismatch

    var code: String {
        switch self {
        case .throttled: "too_many_refused_logins"
        case .stateMismatch: "state_mismatch"
        case .identityProviderError: "idp_error"
        case .noCode: "no_code"
        case .tokenExchange: "token_exchange_failed"
        case .token: "token_rejected"
        case .issuerMismatch: "issuer_mismatch"
        case .noIDToken: "no_id_token"
        case .idToken(let rejection): "id_" + rejection.code
        case .subjectMismatch: "subject_mismatch"
        }
    }

    var description: String {
        switch self {
        case .throttled:
            "Too many refused logins came from your address. Wait a minute, then start again."
        case .stateMismatch:
            "This login was not started here, was already used, or took too long. Start again."
        case .identityProviderError(let error, let detail):
            "The identity provider refused the login: \(error)\(detail.map { " (\($0))" } ?? "")."
        case .noCode:
            "The identity provider sent no authorization code."
        case .tokenExchange(let reason):
            "The authorization code could not be redeemed: \(reason)"
        case .token(let reason):
            "The identity provider's token was refused: \(reason)"
        case .issuerMismatch(let got, let expected):
            "The token is from \(got), but this login went to \(expected)."
        case .noIDToken:
            "The identity provider sent no ID token, so the login's nonce cannot be checked."
        case .idToken(let rejection):
            "The ID token was refused: \(rejection.description)"
        case .subjectMismatch:
            "The ID token and the access token name different people."
        }
    }
}
