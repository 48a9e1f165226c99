import Crypto
import Foundation
import HoopCore
import JWTKit

/// Issues and checks session grants: EdDSA JWTs signed with the broker's grant key, bound to the session, the
/// principal and the resource, and expiring with the session. A grant alone never admits a tunnel — the session
/// must also still be active in the store, which is what makes revocation immediate.
///
/// The grant also carries the session's client login (the per-session secret local clients present), sealed with a
/// key derived from the grant key: every broker of a deployment holds the same grant key, so whichever broker a
/// tunnel lands on can check the client's login without the secret ever being stored — and the client, which holds
/// the grant, learns nothing from it that it was not already given.
package final class GrantSigner: Sendable {
    static let audience = "hoop-tunnel"
    private let keys: JWTKeyCollection
    private let secretKey: SymmetricKey

    init(key: Curve25519.Signing.PrivateKey) async {
        let collection = JWTKeyCollection()
        await collection.add(eddsa: EdDSA.PrivateKey(backing: key), kid: "grant")
        keys = collection
        secretKey = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: key.rawRepresentation),
            info: Data("hoopctl grant session secret v1".utf8), outputByteCount: 32)
    }

    func sign(_ session: SessionRecord, clientSecret: String? = nil) async throws -> String {
        let sealed = try clientSecret.map { secret in
            let box = try AES.GCM.seal(Data(secret.utf8), using: secretKey, authenticating: Data(session.id.utf8))
            return RandomSecret.base64URL(box.combined ?? Data())
        }
        let claims = GrantClaims(
            sessionID: session.id,
            subject: .init(value: session.subject),
            identityIssuer: session.issuer,
            resource: session.resource,
            audience: .init(value: Self.audience),
            expiration: .init(value: session.expiresAt),
            issuedAt: .init(value: session.createdAt),
            sealedClientSecret: sealed
        )
        return try await keys.sign(claims, kid: "grant")
    }

    /// The verified claims, or nil for anything forged, altered, expired or not a grant.
    func verify(_ grant: String) async -> GrantClaims? {
        try? await keys.verify(grant, as: GrantClaims.self)
    }

    /// The client login sealed into verified claims; nil when there is none or it does not open (bound to the
    /// session id, so a secret cannot be moved to another session's grant).
    func clientSecret(of claims: GrantClaims) -> String? {
        guard let text = claims.sealedClientSecret, let combined = Base64URL.decode(Substring(text)),
            let box = try? AES.GCM.SealedBox(combined: combined),
            let opened = try? AES.GCM.open(box, using: secretKey, authenticating: Data(claims.sessionID.utf8))
        else { return nil }
        return String(decoding: opened, as: UTF8.self)
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
    /// The session's client login, AES-GCM sealed (base64url); absent for resources without one.
    var sealedClientSecret: String?

    enum CodingKeys: String, CodingKey {
        case sessionID = "sid"
        case subject = "sub"
        case identityIssuer = "idp"
        case resource = "res"
        case audience = "aud"
        case expiration = "exp"
        case issuedAt = "iat"
        case sealedClientSecret = "spw"
    }

    /// The principal the grant was issued to, for audit events about it.
    var principalSubject: String { subject.value }

    func verify(using algorithm: some JWTAlgorithm) async throws {
        try expiration.verifyNotExpired()
        try audience.verifyIntendedAudience(includes: GrantSigner.audience)
    }
}
