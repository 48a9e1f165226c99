import Foundation
package import HoopCore

/// The body of a tlog-witness `add-checkpoint` request: `old <size>`, the consistency proof from that size (one
/// base64 hash per line), a blank line, then the checkpoint note. The broker encodes it and the witness decodes it
/// with this one type, so the two sides cannot drift apart.
package struct AddCheckpointRequest: Sendable, Equatable {
    /// The protocol's cap: a consistency proof within a tree of at most 2^63 leaves is never longer.
    package static let maximumProofLines = 63

    /// The size of the checkpoint the client believes the witness cosigned last (0 when it never did).
    package var oldSize: Int64
    package var proof: [TreeHash]
    package var note: SignedNote

    package init(oldSize: Int64, proof: [TreeHash], note: SignedNote) {
        self.oldSize = oldSize
        self.proof = proof
        self.note = note
    }

    /// The bytes sent.
    package var body: [UInt8] {
        var text = "old \(oldSize)\n"
        for hash in proof {
            text += hash.base64 + "\n"
        }
        text += "\n" + note.serialized
        return Array(text.utf8)
    }

    /// Reads a body exactly: the old size in canonical decimal, at most 63 proof lines each a canonical base64
    /// SHA-256 hash, and a note that parses. The first blank line ends the proof, since no proof line is empty.
    package init(body: some Collection<UInt8>) throws(EvidenceFormatError) {
        guard let text = String(validating: body, as: UTF8.self) else {
            throw EvidenceFormatError("the body is not UTF-8")
        }
        guard let blank = text.range(of: "\n\n") else {
            throw EvidenceFormatError("no blank line separates the old size and proof from the checkpoint")
        }
        let header = text[..<blank.lowerBound].split(separator: "\n", omittingEmptySubsequences: false)
        guard let oldLine = header.first, oldLine.hasPrefix("old "),
            let oldSize = CanonicalDecimal.parse(oldLine.dropFirst(4))
        else {
            throw EvidenceFormatError("the first line is not `old <size>` with the size in canonical decimal")
        }
        let proofLines = header.dropFirst()
        guard proofLines.count <= Self.maximumProofLines else {
            throw EvidenceFormatError(
                "\(proofLines.count) proof lines (at most \(Self.maximumProofLines) are allowed)")
        }
        var proof: [TreeHash] = []
        for (number, line) in proofLines.enumerated() {
            guard let hash = TreeHash(base64: line) else {
                throw EvidenceFormatError("proof line \(number + 1) is not a SHA-256 hash in canonical base64")
            }
            proof.append(hash)
        }
        let note = try SignedNote(parsing: String(text[blank.upperBound...]))
        self.init(oldSize: oldSize, proof: proof, note: note)
    }
}
