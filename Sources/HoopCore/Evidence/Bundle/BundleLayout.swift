/// The file names of an evidence bundle (format version 2), in one place for the writer and the verifier.
package enum BundleLayout {
    package static let manifest = "manifest.json"
    package static let events = "events.jsonl"
    package static let prefix = "prefix.jsonl"
    package static let checkpoint = "checkpoint.note"
    package static let witnessed = "witnessed.note"
    package static let rotations = "rotations.jsonl"
    package static let pubkey = "pubkey"
    package static let recordingsFolder = "recordings/"

    /// Files every bundle has, even when empty.
    static let required = [events, prefix, checkpoint, rotations, pubkey]

    /// The file of recording segment `name` (`SealedRecording.name`).
    package static func recording(name: String) -> String {
        recordingsFolder + name + ".jsonl"
    }

    package static func tombstone(name: String) -> String {
        recordingsFolder + RecordingTombstone.fileName(name: name)
    }

    /// Whether `path` can be a file of a bundle: one of the fixed names, or a recording or tombstone directly in the
    /// recordings folder. What a bundle arriving from elsewhere may create on disk, nothing more.
    package static func isBundlePath(_ path: String) -> Bool {
        if path == manifest || path == witnessed || required.contains(path) { return true }
        guard path.hasPrefix(recordingsFolder) else { return false }
        let file = String(path.dropFirst(recordingsFolder.count))
        return isSafeRecordingName(file) && (file.hasSuffix(".jsonl") || file.hasSuffix(RecordingTombstone.suffix))
    }

    /// Segment names (a session id, or `<session>.<broker>`) become file names, so only plain ones are accepted:
    /// letters, digits, `_`, `-` and `.`, not starting with `.` — nothing that could leave the recordings folder.
    package static func isSafeRecordingName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.utf8.allSatisfy(PlainName.allows)
    }
}
