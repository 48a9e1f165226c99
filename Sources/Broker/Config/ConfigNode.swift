import HoopCore
import Yams

/// A YAML mapping with its location in the file, so every read can report a precise path and every key the loader
/// did not consume is reported as unknown (catching typos such as `allow_group`).
struct ConfigNode {
    let path: String
    let members: [(key: String, value: Node)]
    private var consumed: Set<String> = []

    init(_ node: Node?, path: String) throws(ConfigError) {
        self.path = path
        guard let node else {
            members = []
            return
        }
        guard let mapping = node.mapping else {
            throw ConfigError(path: path, message: "expected a mapping of keys to values")
        }
        var members: [(key: String, value: Node)] = []
        for (key, value) in mapping {
            guard let name = key.string else {
                throw ConfigError(path: path, message: "keys must be text")
            }
            members.append((name, value))
        }
        self.members = members
    }

    private func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    private mutating func take(_ key: String) -> Node? {
        consumed.insert(key)
        return members.first { $0.key == key }?.value
    }

    mutating func string(_ key: String) throws(ConfigError) -> String? {
        guard let node = take(key) else { return nil }
        if case .scalar(let scalar) = node, scalar.string.isEmpty || node.null != nil { return nil }
        guard let text = node.string ?? node.scalar?.string else {
            throw ConfigError(path: child(key), message: "expected text")
        }
        return text
    }

    mutating func requiredString(_ key: String) throws(ConfigError) -> String {
        guard let text = try string(key), !text.isEmpty else {
            throw ConfigError(path: child(key), message: "is required")
        }
        return text
    }

    mutating func stringList(_ key: String) throws(ConfigError) -> [String]? {
        guard let node = take(key) else { return nil }
        if node.null != nil { return [] }
        guard let sequence = node.sequence else {
            throw ConfigError(path: child(key), message: "expected a list, e.g. [eng, agents]")
        }
        var items: [String] = []
        for (index, item) in sequence.enumerated() {
            guard let text = item.string, !text.isEmpty else {
                throw ConfigError(path: "\(child(key))[\(index)]", message: "expected non-empty text")
            }
            items.append(text)
        }
        return items
    }

    mutating func duration(_ key: String) throws(ConfigError) -> Double? {
        guard let text = try string(key) else { return nil }
        guard let value = DurationText.parse(text), value > 0 else {
            throw ConfigError(path: child(key), message: "expected a duration such as 30s, 15m or 1h, got '\(text)'")
        }
        return value
    }

    mutating func count(_ key: String) throws(ConfigError) -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Int(text), value >= 0 else {
            throw ConfigError(path: child(key), message: "expected a whole number, got '\(text)'")
        }
        return value
    }

    mutating func mapping(_ key: String) throws(ConfigError) -> ConfigNode? {
        guard let node = take(key) else { return nil }
        return try ConfigNode(node, path: child(key))
    }

    mutating func mappings(_ key: String) throws(ConfigError) -> [ConfigNode]? {
        guard let node = take(key) else { return nil }
        if node.null != nil { return [] }
        guard let sequence = node.sequence else {
            throw ConfigError(path: child(key), message: "expected a list")
        }
        var nodes: [ConfigNode] = []
        for (index, item) in sequence.enumerated() {
            nodes.append(try ConfigNode(item, path: "\(child(key))[\(index)]"))
        }
        return nodes
    }

    /// The value under `key` as YAML, for settings that take several shapes (a list or a mapping).
    mutating func value(_ key: String) -> (node: Node, path: String)? {
        take(key).map { ($0, child(key)) }
    }

    /// A mapping of names to text under `key` (e.g. column rules), in file order.
    mutating func textMapping(_ key: String) throws(ConfigError) -> [(key: String, value: String)]? {
        guard let node = take(key) else { return nil }
        if node.null != nil { return [] }
        guard let mapping = node.mapping else {
            throw ConfigError(path: child(key), message: "expected a mapping such as { \"users.ssn\": redact }")
        }
        var pairs: [(key: String, value: String)] = []
        for (name, value) in mapping {
            guard let name = name.string, let text = value.string else {
                throw ConfigError(path: child(key), message: "expected text keys and text values")
            }
            pairs.append((name, text))
        }
        return pairs
    }

    /// A string, or a list of strings, under `key`.
    mutating func stringOrList(_ key: String) throws(ConfigError) -> [String]? {
        guard let node = members.first(where: { $0.key == key })?.value else { return nil }
        if node.sequence != nil { return try stringList(key) }
        return try string(key).map { [$0] }
    }

    /// Fails on the first key no reader asked for.
    func rejectUnknownKeys() throws(ConfigError) {
        if let unknown = members.first(where: { !consumed.contains($0.key) }) {
            throw ConfigError(path: child(unknown.key), message: "unknown key")
        }
    }
}

extension ConfigNode {
    /// `true` or `false` (YAML's other spellings are refused, so a typo cannot silently flip a permission).
    mutating func flag(_ key: String) throws(ConfigError) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text {
        case "true": return true
        case "false": return false
        default:
            throw ConfigError(path: path.isEmpty ? key : "\(path).\(key)", message: "expected true or false")
        }
    }
}
