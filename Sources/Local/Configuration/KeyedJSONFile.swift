import Foundation
import HoopCore

/// A small versioned JSON file mapping keys (broker addresses) to entries, read whole and replaced atomically
/// through `SecureFile`. The token cache and the pinned-broker store are both one of these.
struct KeyedJSONFile<Entry: Codable & Sendable>: Sendable {
    let path: String
    /// What the file is, for error messages ("token cache").
    let purpose: String
    /// What to do when the file cannot be parsed.
    let repairHint: String

    func entry(_ key: String) throws(LocalError) -> Entry? {
        try self.load()[key]
    }

    func update(_ key: String, to entry: Entry?) throws(LocalError) -> Entry? {
        var entries = try self.load()
        let previous = entries[key]
        entries[key] = entry
        if previous != nil || entry != nil {
            try self.save(entries)
        }
        return previous
    }

    private func load() throws(LocalError) -> [String: Entry] {
        guard let data = try SecureFile.read(self.path) else { return [:] }
        do {
            return try HoopJSON.decoder().decode(Contents.self, from: data).entries
        } catch {
            throw LocalError(
                .localFile, "\(self.path) is not a valid \(self.purpose): \(ErrorDescription.of(error))",
                hint: self.repairHint)
        }
    }

    private func save(_ entries: [String: Entry]) throws(LocalError) {
        let data: Data
        do {
            let encoder = HoopJSON.encoder()
            encoder.outputFormatting.insert(.prettyPrinted)
            data = try encoder.encode(Contents(entries: entries))
        } catch {
            throw .unwritableFile(self.path, reason: "cannot encode the \(self.purpose): \(error)")
        }
        try SecureFile.write(data, to: self.path)
    }

    /// The file's layout, versioned so a later format can be told apart.
    private struct Contents: Codable {
        var version = 1
        var entries: [String: Entry]

        init(entries: [String: Entry]) {
            self.entries = entries
        }

        enum CodingKeys: String, CodingKey {
            case version
            case entries = "brokers"
        }
    }
}
