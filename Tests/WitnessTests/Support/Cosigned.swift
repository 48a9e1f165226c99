import HoopCore

extension SignedNote {
    /// The note with the witness's line added, as the log keeps it.
    func adding(_ line: NoteSignature) -> SignedNote {
        var note = self
        note.signatures.append(line)
        return note
    }
}
