import Crypto
package import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The witness's directory: its private key (`witness-ed25519.key`, base64 of the raw 32-byte seed, mode 0600), its
/// name (`witness-name`) and its store (`witness.db`). The key is created once and never replaced: a witness that
/// silently minted a new key would lose every log's trust in what it cosigned before.
package struct WitnessDataDir: Sendable {
    package let url: URL

    package init(_ url: URL) {
        self.url = url
    }

    var keyFile: URL { url.appendingPathComponent("witness-ed25519.key") }
    var nameFile: URL { url.appendingPathComponent("witness-name") }
    package var storeFile: URL { url.appendingPathComponent("witness.db") }

    /// Creates the directory (0700), a new key and the name file; refuses a directory that already has a key.
    package func createIdentity(name: String) throws(WitnessSetupError) -> WitnessIdentity {
        let identity = try WitnessIdentity(name: name)
        do {
            try FileManager.default.createDirectory(
                at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .file(url.path, "cannot be created: \(error.localizedDescription)")
        }
        try Self.createPrivateFile(keyFile, text: identity.key.rawRepresentation.base64EncodedString() + "\n")
        try Self.createPrivateFile(nameFile, text: name + "\n")
        return identity
    }

    /// The identity `createIdentity` wrote; a missing or damaged file is an error, never a reason to make a new key.
    package func loadIdentity() throws(WitnessSetupError) -> WitnessIdentity {
        let seed = try Self.read(keyFile)
        guard let raw = Data(base64Encoded: seed), raw.count == 32,
            let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw)
        else {
            throw .file(keyFile.path, "is not a base64 Ed25519 key (32 bytes)")
        }
        return try WitnessIdentity(name: try Self.read(nameFile), key: key)
    }

    /// The file's text without surrounding whitespace.
    private static func read(_ file: URL) throws(WitnessSetupError) -> String {
        do {
            return try String(contentsOf: file, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        } catch {
            throw .file(file.path, "cannot be read (run `hoopctl witness init` first): \(error.localizedDescription)")
        }
    }

    /// Writes a new file that is 0600 from the moment it exists (`O_EXCL`: an existing file is never overwritten).
    private static func createPrivateFile(_ file: URL, text: String) throws(WitnessSetupError) {
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            let reason =
                errno == EEXIST ? "already exists; this data dir has a witness" : String(cString: strerror(errno))
            throw .file(file.path, reason)
        }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(text.utf8))
            try handle.synchronize()
            try handle.close()
        } catch {
            throw .file(file.path, "cannot be written: \(error.localizedDescription)")
        }
    }
}
