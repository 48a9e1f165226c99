/// An OAuth error answer (RFC 6749 §5.2), e.g. `authorization_pending` while a device code awaits approval.
struct OAuthErrorResponse: Decodable, Sendable, Equatable {
    var error: String
    var errorDescription: String?

    /// The code with its description, for messages.
    var summary: String {
        guard let errorDescription, !errorDescription.isEmpty else { return self.error }
        return "\(self.error): \(errorDescription)"
    }

    enum CodingKeys: String, CodingKey {
        case error
        case errorDescription = "error_description"
    }
}
