/// An evidence bundle as its files: relative path (`events.jsonl`, `recordings/ses_1.jsonl`) to bytes. The writer
/// produces it, the reader loads it from disk and the verifier judges it, so a bundle can also travel in one API
/// response and be checked before it ever touches a disk.
///
/// A broker streaming a bundle leaves its recording segments out of `files` and names them in `streamed` instead:
/// the manifest already seals their size and digest, and the bytes follow the other files, a page at a time.
package struct EvidenceBundle: Sendable, Equatable {
    package var files: [String: [UInt8]]
    /// Files sealed in the manifest whose bytes travel separately, by path.
    package var streamed: [String: StreamedBundleFile]

    package init(files: [String: [UInt8]], streamed: [String: StreamedBundleFile] = [:]) {
        self.files = files
        self.streamed = streamed
    }
}

/// A recording segment a bundle names by length and digest, its bytes read from where the broker keeps it as the
/// bundle streams out.
package struct StreamedBundleFile: Sendable, Equatable {
    /// The segment's name (`SealedRecording.name`).
    package var segment: String
    package var size: Int64
    /// Lowercase hex SHA-256, as the manifest lists it (`BundleManifest.digest`).
    package var digest: String

    package init(segment: String, size: Int64, digest: String) {
        self.segment = segment
        self.size = size
        self.digest = digest
    }
}

/// A bundle could not be read from or written to disk.
package struct EvidenceBundleIOError: Error, Sendable, Equatable, CustomStringConvertible {
    package var path: String
    package var reason: String

    package var description: String { "\(path): \(reason)" }
}
