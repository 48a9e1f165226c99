import Foundation

/// A file holding one secret (a token, a client secret), as CI systems and secret managers mount them.
package enum CredentialFile {
    /// The file's content without surrounding whitespace; an error naming `option` when it is missing or empty.
    package static func read(_ path: String, purpose: String, option: String) throws(LocalError) -> String {
        let data: Data?
        do {
            data = try SecureFile.read(path)
        } catch {
            throw LocalError(.localFile, error.message, hint: "pass a readable \(purpose) to \(option)")
        }
        guard let data else {
            throw LocalError(
                .localFile,
                "the \(purpose) \(path) does not exist",
                hint: "pass an existing file to \(option)"
            )
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !text.isEmpty else {
            throw LocalError(
                .localFile,
                "the \(purpose) \(path) is empty",
                hint: "put the secret in it, or pass another file to \(option)"
            )
        }
        return text
    }
}
