import Foundation
package import HoopCore

/// What an auditor hands `audit verify` on the command line, read into the verifier's types: a key as text or as a
/// file holding it, and earlier evidence as a bundle directory or a checkpoint file.
package enum EvidenceInputs {
    /// `ed25519:<base64>` from a file.
    package static func auditKey(_ file: String) throws(LocalError) -> AuditPublicKey {
        let text = try contents(file)
        do {
            return try AuditPublicKey(text: text)
        } catch {
            throw LocalError(.invalidInput, "\(file) does not hold an audit public key: \(error.reason)")
        }
    }

    /// A witness's verifier key given inline, or the path of a file holding one.
    package static func witnessKey(_ argument: String) throws(LocalError) -> NoteVerifierKey {
        let text =
            argument.contains("+") ? argument : try contents(argument).trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            return try NoteVerifierKey(text: text)
        } catch {
            throw LocalError(.invalidInput, "\(argument) is not a witness verifier key: \(error.reason)")
        }
    }

    /// The checkpoints of an older bundle (its `checkpoint.note` and `witnessed.note`), or of a checkpoint file a
    /// file witness wrote.
    package static func checkpoints(_ path: String) throws(LocalError) -> [PreviousCheckpoint] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw LocalError(.localFile, "\(path) does not exist")
        }
        do {
            if !isDirectory.boolValue {
                return try CheckpointFile.read(Array(try contents(path).utf8)).map {
                    PreviousCheckpoint($0, from: .checkpointFile)
                }
            }
            var notes: [SignedNote] = []
            for name in [BundleLayout.checkpoint, BundleLayout.witnessed] {
                let file = URL(fileURLWithPath: path).appendingPathComponent(name).path
                guard FileManager.default.fileExists(atPath: file) else { continue }
                notes.append(try SignedNote(parsing: try contents(file)))
            }
            guard !notes.isEmpty else {
                throw LocalError(.invalidInput, "\(path) holds no checkpoint.note: not an evidence bundle")
            }
            return notes.map { PreviousCheckpoint($0, from: .bundle) }
        } catch let error as LocalError {
            throw error
        } catch {
            throw LocalError(.invalidInput, "\(path): \(ErrorDescription.of(error))")
        }
    }

    private static func contents(_ file: String) throws(LocalError) -> String {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw LocalError(.localFile, "cannot read \(file)")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
