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

    package static func recording(session: String) -> String {
        recordingsFolder + session + ".jsonl"
    }

    package static func tombstone(session: String) -> String {
        recordingsFolder + RecordingTombstone.fileName(session: session)
    }

    /// Session ids become file names, so only plain ones are accepted: letters, digits, `_`, `-` and `.`, not
    /// starting with `.`.
    static func isSafeSessionID(_ session: String) -> Bool {
        !session.isEmpty && !session.hasPrefix(".")
            && session.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
                    return true
                default:
                    return false
                }
            }
    }
}
