import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// A throw-away signing key and its self-signed certificate, standing in for an IdP's (or an attacker's).
struct TestSigningKey: Sendable {
    /// PEM private key, as xmlsec loads it.
    let privateKeyPEM: String
    /// DER certificate, as metadata carries it.
    let certificate: Data

    static func rsa(_ name: String = "hoop SAML test IdP") throws -> TestSigningKey {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        return try TestSigningKey(
            privateKeyPEM: key.pemRepresentation, publicKey: .init(key.publicKey), issuerKey: .init(key), name: name)
    }

    static func p256(_ name: String = "hoop SAML test IdP (EC)") throws -> TestSigningKey {
        let key = P256.Signing.PrivateKey()
        return try TestSigningKey(
            privateKeyPEM: key.pemRepresentation, publicKey: .init(key.publicKey), issuerKey: .init(key), name: name)
    }

    private init(
        privateKeyPEM: String, publicKey: Certificate.PublicKey, issuerKey: Certificate.PrivateKey, name: String
    ) throws {
        let subject = try DistinguishedName { CommonName(name) }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: publicKey, notValidBefore: now - 3600,
            notValidAfter: now + 86_400, issuer: subject, subject: subject, extensions: .init(),
            issuerPrivateKey: issuerKey)
        var serializer = DER.Serializer()
        try serializer.serialize(certificate)
        self.privateKeyPEM = privateKeyPEM
        self.certificate = Data(serializer.serializedBytes)
    }

    /// Keys are slow to make; every suite shares these.
    static let idp = try! TestSigningKey.rsa()
    static let attacker = try! TestSigningKey.rsa("attacker")
    static let idpEC = try! TestSigningKey.p256()
}
