extension RecordingEvent {
    /// One line of a recording file: the hashed body plus `prev` and `hash`, canonical JSON without the newline.
    package var jsonLine: String {
        CanonicalJSON.string(hashedBody.adding(["prev": .string(prev), "hash": .string(hash)]))
    }

    /// Parses one recording line exactly: every field present, none extra, and the stored `hash` kept as read so
    /// `isIntact` can judge it.
    package init(jsonLine: some Collection<UInt8>) throws(EvidenceFormatError) {
        let fields = try EvidenceFields(json: jsonLine)
        try fields.requireOnly(["seq", "t", "kind", "conn", "dir", "data", "details", "prev", "hash"])
        let kindText = try fields.string("kind")
        guard let kind = RecordingKind(rawValue: kindText) else {
            throw EvidenceFormatError("unknown kind \"\(kindText)\"")
        }
        var dir: RecordingDirection?
        if let dirText = try fields.optionalString("dir") {
            guard let parsed = RecordingDirection(rawValue: dirText) else {
                throw EvidenceFormatError("unknown dir \"\(dirText)\"")
            }
            dir = parsed
        }
        self.init(
            seq: try fields.int("seq"),
            t: try fields.int("t"),
            kind: kind,
            conn: try fields.int("conn"),
            dir: dir,
            data: try fields.optionalString("data"),
            details: try fields.value("details"),
            prev: try fields.string("prev")
        )
        hash = try fields.string("hash")
    }
}
