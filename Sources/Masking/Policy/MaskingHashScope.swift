/// How widely a `hash` token is stable. Tokens are always keyed per resource; the scope decides whether different
/// identities see the same token for the same value.
///
/// The YAML spellings (`identity`, `resource`) are the raw values.
package enum MaskingHashScope: String, Sendable, CaseIterable {
    /// One key per resource and identity (the default): a token joins only within what one identity sees, so
    /// identities cannot pool tokens to test values against each other.
    case identity
    /// One key per resource: tokens are stable across identities (shared reports, cross-team joins). Opt-in,
    /// because whoever sees a token can compare it with any other identity's tokens for that resource.
    case resource

    /// The parts a masking key is derived from for `resource` and the identity `issuer`/`subject`.
    package func keyScope(resource: String, issuer: String, subject: String) -> [String] {
        switch self {
        case .identity: ["resource", resource, "identity", issuer, subject]
        case .resource: ["resource", resource]
        }
    }
}
