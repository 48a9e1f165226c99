import Crypto
import Foundation
import NIOSSH

/// Reads the private key files `ssh-keygen` writes (`openssh-key-v1`, unencrypted) and PEM ECDSA keys, into the
/// key type the SSH client uses. Only what the SSH library can sign with is accepted: Ed25519 and ECDSA over P-256,
/// P-384 and P-521. An encrypted key is refused with a message saying so, since the broker has no one to ask for
/// its passphrase.
enum OpenSSHPrivateKey {
    static func parse(_ text: String) throws(SSHKeyFileError) -> NIOSSHPrivateKey {
        if text.contains("-----BEGIN OPENSSH PRIVATE KEY-----") {
            return try parseOpenSSH(text)
        }
        if text.contains("-----BEGIN") {
            if let key = try? P256.Signing.PrivateKey(pemRepresentation: text) { return NIOSSHPrivateKey(p256Key: key) }
            if let key = try? P384.Signing.PrivateKey(pemRepresentation: text) { return NIOSSHPrivateKey(p384Key: key) }
            if let key = try? P521.Signing.PrivateKey(pemRepresentation: text) { return NIOSSHPrivateKey(p521Key: key) }
            throw SSHKeyFileError("is a PEM key of a kind the broker cannot use; use an Ed25519 or ECDSA key")
        }
        throw SSHKeyFileError("is not a private key file (expected `ssh-keygen -t ed25519` output)")
    }

    private static let magic = Array("openssh-key-v1".utf8) + [0]

    private static func parseOpenSSH(_ text: String) throws(SSHKeyFileError) -> NIOSSHPrivateKey {
        let body = text.split(separator: "\n")
            .filter { !$0.hasPrefix("-----") }
            .joined()
            .filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: body) else {
            throw SSHKeyFileError("has an OpenSSH header but its body is not base64")
        }
        var reader = SSHWireReader(Array(data))
        guard reader.take(magic.count) == magic else { throw SSHKeyFileError("is not an openssh-key-v1 key") }
        let cipher = try reader.string()
        _ = try reader.string()  // kdf name
        _ = try reader.string()  // kdf options
        guard cipher == Array("none".utf8) else {
            throw SSHKeyFileError(
                "is encrypted with a passphrase; the broker needs an unencrypted key (ssh-keygen -N '')")
        }
        guard try reader.uint32() == 1 else { throw SSHKeyFileError("holds more than one key") }
        _ = try reader.string()  // public key, repeated in the private section
        var secret = SSHWireReader(try reader.string())
        guard try secret.uint32() == (try secret.uint32()) else {
            throw SSHKeyFileError("is corrupt (its check numbers differ)")
        }
        let type = String(decoding: try secret.string(), as: UTF8.self)
        switch type {
        case "ssh-ed25519":
            _ = try secret.string()  // public half
            let pair = try secret.string()
            guard pair.count == 64 else { throw SSHKeyFileError("has an Ed25519 key of the wrong length") }
            do {
                return NIOSSHPrivateKey(ed25519Key: try Curve25519.Signing.PrivateKey(rawRepresentation: pair[0..<32]))
            } catch {
                throw SSHKeyFileError("has an unusable Ed25519 key: \(error)")
            }
        case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521":
            _ = try secret.string()  // curve name
            _ = try secret.string()  // public point
            let scalar = try secret.string().drop { $0 == 0 }
            do {
                switch type {
                case "ecdsa-sha2-nistp256":
                    return NIOSSHPrivateKey(p256Key: try .init(rawRepresentation: padded(scalar, to: 32)))
                case "ecdsa-sha2-nistp384":
                    return NIOSSHPrivateKey(p384Key: try .init(rawRepresentation: padded(scalar, to: 48)))
                default:
                    return NIOSSHPrivateKey(p521Key: try .init(rawRepresentation: padded(scalar, to: 66)))
                }
            } catch {
                throw SSHKeyFileError("has an unusable ECDSA key: \(error)")
            }
        case "ssh-rsa":
            throw SSHKeyFileError("holds an RSA key, which the broker's SSH client cannot use; use Ed25519 or ECDSA")
        default:
            throw SSHKeyFileError("holds a \(type) key; use Ed25519 or ECDSA")
        }
    }

    private static func padded(_ bytes: ArraySlice<UInt8>, to length: Int) throws(SSHKeyFileError) -> [UInt8] {
        guard bytes.count <= length else { throw SSHKeyFileError("has an ECDSA scalar that is too long") }
        return [UInt8](repeating: 0, count: length - bytes.count) + bytes
    }
}

/// Length-prefixed fields as SSH encodes them (RFC 4251 §5).
struct SSHWireReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    mutating func take(_ count: Int) -> [UInt8]? {
        guard count >= 0, bytes.count - offset >= count else { return nil }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    mutating func uint32() throws(SSHKeyFileError) -> UInt32 {
        guard let raw = take(4) else { throw SSHKeyFileError("is truncated") }
        return raw.reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func string() throws(SSHKeyFileError) -> [UInt8] {
        let length = try uint32()
        guard length <= 1 << 20, let value = take(Int(length)) else { throw SSHKeyFileError("is truncated") }
        return value
    }
}

/// A key file the broker cannot use; the message completes "the key file …".
struct SSHKeyFileError: Error, Sendable, CustomStringConvertible {
    var problem: String
    init(_ problem: String) { self.problem = problem }
    var description: String { problem }
}
