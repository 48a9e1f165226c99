/// An evidence bundle as its files: relative path (`events.jsonl`, `recordings/ses_1.jsonl`) to bytes. The writer
/// produces it, the reader loads it from disk and the verifier judges it, so a bundle can also travel in one API
/// response and be checked before it ever touches a disk.
package struct EvidenceBundle: Sendable, Equatable {
    package var files: [String: [UInt8]]

    package init(files: [String: [UInt8]]) {
        self.files = files
    }
}

/// A bundle could not be read from or written to disk.
package struct EvidenceBundleIOError: Error, Sendable, Equatable, CustomStringConvertible {
    package var path: String
    package var reason: String

    package var description: String { "\(path): \(reason)" }
}
