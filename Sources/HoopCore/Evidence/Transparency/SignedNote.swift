import Foundation

/// A C2SP signed note: UTF-8 text ending in a newline, a blank line, then one signature line per signer
/// (`— <key name> <base64(key ID || signature)>`). Checkpoints and witness cosignatures travel in this form so any
/// tool that speaks the format can check them.
package struct SignedNote: Sendable, Equatable {
    /// The signed text, final newline included.
    package var text: String
    package var signatures: [NoteSignature]

    /// More than this many signature lines is refused, as the format's reference verifier does.
    package static let maximumSignatures = 100

    package init(text: String, signatures: [NoteSignature]) {
        self.text = text
        self.signatures = signatures
    }

    /// The note as it is written and sent.
    package var serialized: String {
        text + "\n" + signatures.map(\.line).joined()
    }

    /// Parses a note exactly: the text and the signature lines are split at the last blank line, every signature
    /// line must be well formed, and no control character other than newline may appear anywhere.
    package init(parsing note: String) throws(EvidenceFormatError) {
        guard note.unicodeScalars.allSatisfy({ $0 == "\n" || $0.value >= 0x20 }) else {
            throw EvidenceFormatError("the note holds a control character other than newline")
        }
        guard let blank = note.range(of: "\n\n", options: .backwards) else {
            throw EvidenceFormatError("the note has no blank line before its signatures")
        }
        text = String(note[..<blank.lowerBound]) + "\n"
        let signatureBlock = note[blank.upperBound...]
        guard signatureBlock.hasSuffix("\n") else {
            throw EvidenceFormatError("the note's last signature line does not end in a newline")
        }
        let lines = signatureBlock.dropLast().split(separator: "\n", omittingEmptySubsequences: false)
        guard !lines.isEmpty, lines.count <= Self.maximumSignatures else {
            throw EvidenceFormatError("the note has \(lines.count) signature lines (1 to 100 allowed)")
        }
        signatures = try lines.map { line throws(EvidenceFormatError) in try NoteSignature(line: line) }
    }
}

/// One signature line of a note.
package struct NoteSignature: Sendable, Equatable {
    package static let prefix = "\u{2014} "

    package var name: String
    /// The first four bytes of what `line` encodes: which of the signer's keys made it.
    package var keyID: [UInt8]
    /// What follows the key ID: an Ed25519 signature, or for a cosignature a timestamp and then the signature.
    package var payload: [UInt8]

    package init(name: String, keyID: [UInt8], payload: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.payload = payload
    }

    package var line: String {
        Self.prefix + name + " " + Data(keyID + payload).base64EncodedString() + "\n"
    }

    /// Parses one line without its newline; a witness's reply is a list of these.
    package init(line: Substring) throws(EvidenceFormatError) {
        guard line.hasPrefix(Self.prefix) else {
            throw EvidenceFormatError("a signature line does not start with an em dash and a space")
        }
        let fields = line.dropFirst(Self.prefix.count).split(separator: " ", omittingEmptySubsequences: false)
        guard fields.count == 2, NoteKeyName.isValid(fields[0]) else {
            throw EvidenceFormatError("a signature line is not `— <key name> <signature>`")
        }
        guard let bytes = Data(base64Encoded: String(fields[1])), bytes.count > 4 else {
            throw EvidenceFormatError("the signature of \(fields[0]) is not base64 of a key ID and a signature")
        }
        name = String(fields[0])
        keyID = Array(bytes.prefix(4))
        payload = Array(bytes.dropFirst(4))
    }
}

/// The rule for key names in notes: non-empty, no spaces, no `+` (which separates a verifier key's fields).
package enum NoteKeyName {
    package static func isValid(_ name: some StringProtocol) -> Bool {
        !name.isEmpty && !name.contains("+")
            && name.unicodeScalars.allSatisfy { !$0.properties.isWhitespace && $0.value >= 0x20 }
    }
}
