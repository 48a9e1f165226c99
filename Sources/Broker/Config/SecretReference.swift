package import Foundation

/// A secret the config points at instead of containing.
package enum SecretReference: Sendable, Equatable {
    case environment(String)
    case file(URL)

    /// Where the secret is, for messages: never the secret itself.
    package var label: String {
        switch self {
        case .environment(let name): "environment variable \(name)"
        case .file(let url): "file \(url.path)"
        }
    }

    /// Reads the secret now. Trailing newlines in files are dropped, as `echo secret > file` leaves one.
    package func resolve(environment: [String: String] = ProcessInfo.processInfo.environment) throws(SecretError)
        -> String
    {
        switch self {
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw SecretError(reference: "environment variable \(name)", problem: "is not set")
            }
            return value
        case .file(let url):
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                throw SecretError(reference: "file \(url.path)", problem: "cannot be read")
            }
            let value = text.trimmingCharacters(in: .newlines)
            guard !value.isEmpty else { throw SecretError(reference: "file \(url.path)", problem: "is empty") }
            return value
        }
    }
}

/// A held credential that cannot be read. The message names where it should be, never what it is.
package struct SecretError: Error, Sendable, CustomStringConvertible {
    package var reference: String
    package var problem: String
    package var description: String { "\(reference) \(problem)" }
}

extension ConfigNode {
    /// Reads a held secret given as `<stem>_env` (the name of an environment variable) or `<stem>_file` (a path,
    /// relative to the config file), never both; nil when neither is there. When `context.environment` is given,
    /// the secret must be readable now, so a missing credential stops the broker at start and not on a live
    /// request. Every engine reads its held credentials through here.
    mutating func secret(_ stem: String, _ context: TargetParsing) throws(ConfigError) -> SecretReference? {
        guard let (reference, key) = try secretKeys(stem, base: context.base) else { return nil }
        try check(reference, key: key, environment: context.environment)
        return reference
    }

    /// A held secret the target login cannot do without: as `secret`, but its absence is an error naming the keys.
    mutating func requiredSecret(_ stem: String, _ context: TargetParsing) throws(ConfigError) -> SecretReference {
        guard let reference = try secret(stem, context) else {
            throw ConfigError(path: path, message: "needs \(stem)_env or \(stem)_file for the target login")
        }
        return reference
    }

    /// The reference alone, unchecked, and the key that gave it: for engines that must first see which of several
    /// alternatives was given.
    mutating func secretKeys(_ stem: String, base: URL) throws(ConfigError) -> (SecretReference, key: String)? {
        let envKey = "\(stem)_env"
        let fileKey = "\(stem)_file"
        let name = try string(envKey)
        let path = try string(fileKey)
        let reference: SecretReference
        let key: String
        switch (name, path) {
        case (nil, nil):
            return nil
        case (let name?, nil):
            reference = .environment(name)
            key = envKey
        case (nil, let path?):
            reference = .file(ConfigLoader.resolve(path, against: base))
            key = fileKey
        case (_?, _?):
            throw ConfigError(path: self.path, message: "give \(envKey) or \(fileKey), not both")
        }
        return (reference, key)
    }

    /// Refuses a reference that cannot be read now, naming its key; nothing is checked without an environment.
    func check(_ reference: SecretReference, key: String, environment: [String: String]?) throws(ConfigError) {
        guard let environment else { return }
        do {
            _ = try reference.resolve(environment: environment)
        } catch {
            throw ConfigError(path: path.isEmpty ? key : "\(path).\(key)", message: error.description)
        }
    }
}
