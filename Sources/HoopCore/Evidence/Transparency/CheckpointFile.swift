package import Foundation

/// The file witness's format: one checkpoint note per line, as the JSON object `{"note": "<note text>"}` (a note
/// spans several lines, so it is quoted). The broker appends; an auditor later hands the file to
/// `audit verify --previous`, which proves the newer log extends every checkpoint in it.
package enum CheckpointFile {
    package static func append(_ note: SignedNote, to url: URL) throws {
        let line = CanonicalJSON.string(["note": .string(note.serialized)]) + "\n"
        let manager = FileManager.default
        if !manager.fileExists(atPath: url.path) {
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard manager.createFile(atPath: url.path, contents: nil) else {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
            }
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(line.utf8))
        try handle.synchronize()
    }

    package static func read(_ bytes: [UInt8]) throws(EvidenceFormatError) -> [SignedNote] {
        var notes: [SignedNote] = []
        for (number, text) in JSONLines.split(bytes) {
            do {
                let fields = try EvidenceFields(json: text)
                try fields.requireOnly(["note"])
                notes.append(try SignedNote(parsing: try fields.string("note")))
            } catch {
                throw EvidenceFormatError("line \(number): \(error.reason)")
            }
        }
        return notes
    }
}
