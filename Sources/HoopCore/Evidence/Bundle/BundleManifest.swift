import Crypto
import Foundation

/// `manifest.json`: what a bundle holds and the broker's seal over it.
///
/// The seal (`signature` by `signedBy`) covers the export's identity — broker, time, filters, the log's origin, the
/// tree size and root it ends at and the first event shown — so a bundle cannot be passed off as a different export.
/// It deliberately leaves out `files` and `counts`: those only catch accidental damage, and keeping them unsigned
/// lets the verifier name the precise break of a deliberate edit instead of stopping at "the manifest changed".
package struct BundleManifest: Sendable, Equatable {
    package static let format = "hoop-evidence-bundle"
    package static let formatVersion: Int64 = 2

    package var broker: BrokerIdentity?
    /// RFC 3339 UTC.
    package var exportedAt: String
    package var filters: JSONValue
    package var origin: String
    /// The size of the checkpoint the bundle ends at: its last event's seq.
    package var treeSize: Int64
    /// The tree's root at `treeSize`, hex.
    package var root: String
    /// The first leaf shown (in full or as a stub); the ones before it are the compact range in `prefix.jsonl`.
    package var firstSeq: Int64
    package var counts: BundleCounts
    /// SHA-256 (lowercase hex) of every other file in the bundle, by path.
    package var files: [String: String]
    package var signedBy: AuditPublicKey
    package var signature: String

    /// What the seal signs.
    package var statement: JSONValue {
        [
            "type": "hoop.evidence_export", "v": .int(Self.formatVersion), "broker": broker?.jsonValue ?? .null,
            "exported_at": .string(exportedAt), "filters": filters, "origin": .string(origin),
            "tree_size": .int(treeSize), "root": .string(root), "first_seq": .int(firstSeq),
        ]
    }

    mutating func seal(with key: any EvidenceSigner) throws {
        signedBy = key.auditPublicKey
        signature = try SignedStatement.sign(statement, with: key)
    }

    package var isSealValid: Bool {
        SignedStatement.isValid(signature, over: statement, by: signedBy)
    }

    /// SHA-256 of a bundle file, as `files` records it.
    package static func digest(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).hexString
    }
}

// MARK: JSON

extension BundleManifest {
    /// Pretty-printed with sorted keys: the manifest is the file a person opens first.
    package var json: [UInt8] {
        let value: JSONValue = [
            "format": .string(Self.format), "version": .int(Self.formatVersion), "broker": broker?.jsonValue ?? .null,
            "exported_at": .string(exportedAt), "filters": filters, "origin": .string(origin),
            "tree_size": .int(treeSize), "root": .string(root), "first_seq": .int(firstSeq),
            "counts": counts.jsonValue,
            "files": .object(files.mapValues { .string($0) }), "signed_by": .string(signedBy.text),
            "signature": .string(signature),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // A JSONValue holds no floating point, the one thing JSONEncoder can refuse, so encoding cannot fail.
        return Array((try? encoder.encode(value)) ?? Data()) + [UInt8(ascii: "\n")]
    }

    package init(json: [UInt8]) throws(EvidenceFormatError) {
        let fields = try EvidenceFields(json: json)
        try fields.requireOnly([
            "format", "version", "broker", "exported_at", "filters", "origin", "tree_size", "root", "first_seq",
            "counts", "files", "signed_by", "signature",
        ])
        guard try fields.string("format") == Self.format else {
            throw EvidenceFormatError("not an evidence bundle manifest (format is not \(Self.format))")
        }
        let version = try fields.int("version")
        guard version == Self.formatVersion else {
            throw EvidenceFormatError("unsupported bundle format version \(version)")
        }
        let brokerValue = try fields.value("broker")
        if brokerValue == .null {
            broker = nil
        } else {
            guard case .object(let members) = brokerValue else {
                throw EvidenceFormatError("field \"broker\" is neither an object nor null")
            }
            let brokerFields = EvidenceFields(members)
            try brokerFields.requireOnly(["id", "fingerprint"])
            broker = BrokerIdentity(
                id: try brokerFields.optionalString("id"), fingerprint: try brokerFields.optionalString("fingerprint"))
        }
        exportedAt = try fields.string("exported_at")
        filters = try fields.value("filters")
        origin = try fields.string("origin")
        treeSize = try fields.int("tree_size")
        root = try fields.string("root")
        firstSeq = try fields.int("first_seq")
        guard case .object(let countMembers) = try fields.value("counts") else {
            throw EvidenceFormatError("field \"counts\" is not an object")
        }
        counts = try BundleCounts(fields: EvidenceFields(countMembers))
        guard case .object(let fileMembers) = try fields.value("files") else {
            throw EvidenceFormatError("field \"files\" is not an object")
        }
        var files: [String: String] = [:]
        for (path, digest) in fileMembers {
            guard let text = digest.stringValue else {
                throw EvidenceFormatError("the digest of \(path) is not a string")
            }
            files[path] = text
        }
        self.files = files
        signedBy = try fields.key("signed_by")
        signature = try fields.string("signature")
    }
}
