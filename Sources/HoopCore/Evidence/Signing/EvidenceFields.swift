import Foundation

/// Reads one JSON object of evidence field by field, so a malformed line is reported by the field that is wrong
/// rather than by a decoder's path dump.
struct EvidenceFields {
    let members: [String: JSONValue]

    init(json bytes: some Collection<UInt8>) throws(EvidenceFormatError) {
        let value: JSONValue
        do {
            value = try JSONDecoder().decode(JSONValue.self, from: Data(bytes))
        } catch {
            throw EvidenceFormatError("not valid evidence JSON")
        }
        guard case .object(let members) = value else { throw EvidenceFormatError("not a JSON object") }
        self.members = members
    }

    init(_ members: [String: JSONValue]) {
        self.members = members
    }

    /// Refuses fields outside `allowed`: anything not covered by a hash or signature must not ride along.
    func requireOnly(_ allowed: Set<String>) throws(EvidenceFormatError) {
        if let extra = members.keys.sorted().first(where: { !allowed.contains($0) }) {
            throw EvidenceFormatError("unexpected field \"\(extra)\"")
        }
    }

    func value(_ key: String) throws(EvidenceFormatError) -> JSONValue {
        guard let value = members[key] else { throw EvidenceFormatError("missing field \"\(key)\"") }
        return value
    }

    func int(_ key: String) throws(EvidenceFormatError) -> Int64 {
        guard let number = try value(key).intValue else {
            throw EvidenceFormatError("field \"\(key)\" is not an integer")
        }
        return number
    }

    func string(_ key: String) throws(EvidenceFormatError) -> String {
        guard let text = try value(key).stringValue else {
            throw EvidenceFormatError("field \"\(key)\" is not a string")
        }
        return text
    }

    /// A string or null.
    func optionalString(_ key: String) throws(EvidenceFormatError) -> String? {
        let field = try value(key)
        if field == .null { return nil }
        guard let text = field.stringValue else {
            throw EvidenceFormatError("field \"\(key)\" is neither a string nor null")
        }
        return text
    }

    func key(_ name: String) throws(EvidenceFormatError) -> AuditPublicKey {
        do {
            return try AuditPublicKey(text: try string(name))
        } catch {
            throw EvidenceFormatError("field \"\(name)\": \(error.reason)")
        }
    }

    /// The format version field every signed statement carries; only version 1 exists.
    func requireVersion(_ supported: Int64) throws(EvidenceFormatError) {
        let version = try int("v")
        guard version == supported else { throw EvidenceFormatError("unsupported format version \(version)") }
    }
}
