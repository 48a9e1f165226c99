import Crypto
import Foundation

/// Ed25519 private keys kept in the data dir as base64 of the raw 32-byte seed, mode 0600. Created on first start;
/// an unreadable key file stops the broker rather than silently minting a new identity.
enum KeyFile {
    static func loadOrCreate(_ url: URL) throws -> Curve25519.Signing.PrivateKey {
        if FileManager.default.fileExists(atPath: url.path) {
            return try parse(try String(contentsOf: url, encoding: .utf8), source: url.path)
        }
        let key = Curve25519.Signing.PrivateKey()
        try SecureFile.write(Data((key.rawRepresentation.base64EncodedString() + "\n").utf8), to: url)
        return key
    }

    /// An Ed25519 private key from its base64 seed; `source` names where it came from in the error.
    static func parse(_ text: String, source: String) throws -> Curve25519.Signing.PrivateKey {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard let raw = Data(base64Encoded: trimmed), raw.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else {
            throw BrokerSetupError(path: source, problem: "is not a base64 Ed25519 key (32 bytes)")
        }
        return key
    }

    /// A 256-bit symmetric secret, kept the same way.
    static func loadOrCreateSecret(_ url: URL) throws -> [UInt8] {
        if FileManager.default.fileExists(atPath: url.path) {
            let text = try String(contentsOf: url, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
            guard let raw = Data(base64Encoded: text), raw.count == 32 else {
                throw BrokerSetupError(path: url.path, problem: "is not a base64 256-bit key")
            }
            return Array(raw)
        }
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) }
        try SecureFile.write(Data((Data(key).base64EncodedString() + "\n").utf8), to: url)
        return key
    }
}

/// Writes secrets so they are never readable by others, not even for an instant: the file is created 0600 before
/// any byte is written, then renamed into place.
enum SecureFile {
    static func write(_ data: Data, to url: URL) throws {
        let directory = url.deletingLastPathComponent()
        try FileManager.default.createDirectory(
            at: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString)")
        guard
            FileManager.default.createFile(
                atPath: temporary.path,
                contents: nil,
                attributes: [.posixPermissions: 0o600]
            )
        else {
            throw BrokerSetupError(path: temporary.path, problem: "cannot be created")
        }
        let handle = try FileHandle(forWritingTo: temporary)
        try handle.write(contentsOf: data)
        try handle.synchronize()
        try handle.close()
        guard rename(temporary.path, url.path) == 0 else {
            let code = errno
            try? FileManager.default.removeItem(at: temporary)
            throw BrokerSetupError(path: url.path, problem: "cannot be written (errno \(code))")
        }
    }
}

/// The data dir or one of its files is unusable; the broker cannot start safely.
package struct BrokerSetupError: Error, CustomStringConvertible {
    package var path: String
    package var problem: String
    package var description: String { "\(path) \(problem)" }
}
