import CSodium
import Crypto
import CryptoExtras
import Foundation
import Testing

@testable import MySQLWire

/// The password proofs against vectors computed independently (Python's hashlib for the SHA-based ones, the MariaDB
/// documentation's `ed25519_password("secret")` for the Ed25519 key) and, for signatures and RSA, against the
/// inverse operation.
@Suite("MySQL authentication proofs")
struct MySQLAuthTests {
    static let password = "hoop-test-password"
    static let nonce: [UInt8] = Array(1...20)

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    @Test("mysql_native_password matches the SHA-1 construction")
    func nativePassword() {
        let proof = MySQLAuth.nativePassword(password: Self.password, nonce: Self.nonce)
        #expect(Self.hex(proof) == "5c811eef3c070d0a1c7b87a68f74a3d8e18aea18")
        #expect(MySQLAuth.nativePassword(password: "", nonce: Self.nonce).isEmpty)
        // A nonce sent with its trailing NUL gives the same proof: only 20 bytes count.
        #expect(MySQLAuth.nativePassword(password: Self.password, nonce: Self.nonce + [0]) == proof)
    }

    @Test("verifying a native proof accepts the password and refuses anything else")
    func verifyNative() {
        let proof = MySQLAuth.nativePassword(password: Self.password, nonce: Self.nonce)
        #expect(MySQLAuth.verifyNativePassword(response: proof, nonce: Self.nonce, password: Self.password))
        #expect(!MySQLAuth.verifyNativePassword(response: proof, nonce: Self.nonce, password: "hoop-test-passwore"))
        #expect(!MySQLAuth.verifyNativePassword(response: proof, nonce: Array(2...21), password: Self.password))
        #expect(
            !MySQLAuth.verifyNativePassword(
                response: Array(proof.dropLast()), nonce: Self.nonce, password: Self.password))
        #expect(!MySQLAuth.verifyNativePassword(response: [], nonce: Self.nonce, password: Self.password))
    }

    @Test("caching_sha2_password's scramble matches the SHA-256 construction")
    func cachingSHA2Scramble() {
        let proof = MySQLAuth.cachingSHA2Scramble(password: Self.password, nonce: Self.nonce)
        #expect(Self.hex(proof) == "91f88712d956b7789b5e5087211f55d663d26af40c2633544fbf29f69741b0f5")
        #expect(MySQLAuth.cachingSHA2Scramble(password: "", nonce: Self.nonce).isEmpty)
    }

    @Test("the RSA path encrypts the password XOR the nonce with OAEP, which the key's owner can undo")
    func rsaEncryption() throws {
        let key = try _RSA.Encryption.PrivateKey(keySize: .bits2048)
        let ciphertext = try MySQLAuth.cachingSHA2RSAEncrypt(
            password: Self.password,
            nonce: Self.nonce,
            publicKeyPEM: key.publicKey.pemRepresentation
        )
        #expect(ciphertext.count == 256)
        let masked = Array(try key.decrypt(ciphertext, padding: .PKCS1_OAEP))
        let plain = masked.indices.map { masked[$0] ^ Self.nonce[$0 % Self.nonce.count] }
        #expect(plain == Array(Self.password.utf8) + [0])
        // OAEP is randomised: the same input never gives the same ciphertext twice.
        let again = try MySQLAuth.cachingSHA2RSAEncrypt(
            password: Self.password,
            nonce: Self.nonce,
            publicKeyPEM: key.publicKey.pemRepresentation
        )
        #expect(again != ciphertext)
    }

    @Test("a key that is not a usable RSA public key is refused with the reason")
    func unusableKey() throws {
        #expect(throws: MySQLLoginError.self) {
            _ = try MySQLAuth.cachingSHA2RSAEncrypt(password: "x", nonce: Self.nonce, publicKeyPEM: "not a key")
        }
        let small = try _RSA.Encryption.PrivateKey(unsafeKeySize: .init(bitCount: 1024))
        #expect(throws: MySQLLoginError.self) {
            _ = try MySQLAuth.cachingSHA2RSAEncrypt(
                password: "x",
                nonce: Self.nonce,
                publicKeyPEM: small.publicKey.pemRepresentation
            )
        }
    }

    @Test("client_ed25519's public key for 'secret' is the one MariaDB's documentation shows")
    func ed25519PublicKey() {
        let key = MySQLAuth.mariaDBEd25519PublicKey(password: "secret")
        #expect(Data(key).base64EncodedString() == "ZIgUREUg5PVgQ6LskhXmO+eZLS0nC8be6HPjYWR4YJY=")
    }

    @Test("client_ed25519 signatures verify as standard Ed25519 under the password's public key")
    func ed25519Signature() {
        let message: [UInt8] = Array(100..<132)
        let signature = MySQLAuth.mariaDBEd25519Sign(password: Self.password, message: message)
        #expect(signature.count == 64)
        let key = MySQLAuth.mariaDBEd25519PublicKey(password: Self.password)
        #expect(crypto_sign_verify_detached(signature, message, UInt64(message.count), key) == 0)
        // Deterministic, bound to the message and to the password.
        #expect(MySQLAuth.mariaDBEd25519Sign(password: Self.password, message: message) == signature)
        var tampered = message
        tampered[0] ^= 1
        #expect(crypto_sign_verify_detached(signature, tampered, UInt64(tampered.count), key) != 0)
        let other = MySQLAuth.mariaDBEd25519PublicKey(password: "hoop-test-passwore")
        #expect(crypto_sign_verify_detached(signature, message, UInt64(message.count), other) != 0)
    }
}
