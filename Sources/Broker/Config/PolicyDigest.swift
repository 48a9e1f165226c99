import Crypto
import HoopCore
import Yams

/// The digest of a resource's policy as loaded: its whole definition in the config (guardrails, masking rules and
/// detectors, approvals, who may connect, how the target is reached — secrets appear only as the names of the
/// variables or files holding them) and the hoopctl release that enforces it. `broker.start` lists it for every
/// resource and each session's grant names it, so an auditor can show which rules governed a session.
enum PolicyDigest {
    static func of(resource node: ConfigNode) -> String {
        let statement: JSONValue = [
            "type": "hoop.resource_policy", "v": 1, "hoopctl": .string(BuildInfo.version), "resource": node.jsonValue,
        ]
        return SHA256.hash(data: CanonicalJSON.encode(statement)).hexString
    }
}

extension ConfigNode {
    /// The mapping as JSON, every scalar as the text written in the file, so the digest follows the text an
    /// operator reviews.
    var jsonValue: JSONValue {
        .object(Dictionary(members.map { ($0.key, Self.json($0.value)) }, uniquingKeysWith: { first, _ in first }))
    }

    private static func json(_ node: Node) -> JSONValue {
        switch node {
        case .scalar(let scalar):
            return .string(scalar.string)
        case .sequence(let sequence):
            return .array(sequence.map(json))
        case .mapping(let mapping):
            var members: [String: JSONValue] = [:]
            for (key, value) in mapping { members[key.string ?? "\(key)"] = json(value) }
            return .object(members)
        case .alias(let alias):
            return .string("*" + String(describing: alias))
        }
    }
}
