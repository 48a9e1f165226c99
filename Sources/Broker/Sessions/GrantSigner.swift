import Crypto
import Foundation
import JWTKit

/// Issues and checks session grants: EdDSA JWTs signed with the broker's grant key, bound to the session, the
/// principal and the resource, and expiring with the session. A grant alone never admits a tunnel — the session
/// must also still be active in the store, which is what makes revocation immediate.
package final class GrantSigner: Sendable {
    static let audience = "hoop-tunnel"
    private let keys: JWTKeyCollection

    init(key: Curve25519.Signing.PrivateKey) async {
        let collection = JWTKeyCollection()
        await collection.add(eddsa: EdDSA.PrivateKey(backing: key), kid: "grant")
        keys = collection
    }

    func sign(_ session: SessionRecord) async throws -> String {
        let claims = GrantClaims(
            sessionID: session.id,
            subject: .init(value: session.subject),
            identityIssuer: session.issuer,
            resource: session.resource,
            audience: .init(value: Self.audience),
            expiration: .init(value: session.expiresAt),
            issuedAt: .init(value: session.createdAt)
        )
        return try await keys.sign(claims, kid: "grant")
    }

    /// The verified claims, or nil for anything forged, altered, expired or not a grant.
    func verify(_ grant: String) async -> GrantClaims? {
        try? await keys.verify(grant, as: GrantClaims.self)
    }
}

/// What a grant binds: session, principal and resource, with its expiry.
struct GrantClaims: JWTPayload {
    var sessionID: String
    var subject: SubjectClaim
    var identityIssuer: String
    var resource: String
    var audience: AudienceClaim
    var expiration: ExpirationClaim
    var issuedAt: IssuedAtClaim

    enum CodingKeys: String, CodingKey {
        case sessionID = "sid"
        case subject = "sub"
        case identityIssuer = "idp"
        case resource = "res"
        case audience = "aud"
        case expiration = "exp"
        case issuedAt = "iat"
    }

    /// The principal the grant was issued to, for audit events about it.
    var principalSubject: String { subject.value }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try expiration.verifyNotExpired()
        try audience.verifyIntendedAudience(includes: GrantSigner.audience)
    }
}
