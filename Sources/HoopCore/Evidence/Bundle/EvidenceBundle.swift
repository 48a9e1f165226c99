/// An evidence bundle as its files: relative path (`events.jsonl`, `recordings/ses_1.jsonl`) to bytes. The writer
/// produces it, the reader loads it from disk and the verifier judges it, so a bundle can also travel in one API
/// response and be checked before it ever touches a disk.
public struct EvidenceBundle: Sendable, Equatable {
    public var files: [String: [UInt8]]

    public init(files: [String: [UInt8]]) {
        self.files = files
    }
}

/// A bundle could not be read from or written to disk.
public struct EvidenceBundleIOError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var reason: String

    public var description: String { "\(path): \(reason)" }
}
