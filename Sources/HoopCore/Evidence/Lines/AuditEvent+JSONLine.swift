extension AuditEvent {
    /// One line of `events.jsonl`: the leaf's fields plus `hash`, canonical JSON without the newline.
    package var jsonLine: String {
        CanonicalJSON.string(hashedBody.adding(["hash": .string(hash)]))
    }

    /// Parses one event line exactly: every field present, none extra, and the stored `hash` kept as read so
    /// `isIntact` can judge it.
    package init(jsonLine: some Collection<UInt8>) throws(EvidenceFormatError) {
        try self.init(fields: try EvidenceFields(json: jsonLine))
    }

    init(fields: EvidenceFields) throws(EvidenceFormatError) {
        try fields.requireOnly(
            ["seq", "time", "actor", "action", "resource", "session", "decision", "details", "hash"])
        let decisionText = try fields.string("decision")
        guard let decision = AuditDecision(rawValue: decisionText) else {
            throw EvidenceFormatError("unknown decision \"\(decisionText)\"")
        }
        self.init(
            seq: try fields.int("seq"),
            time: try fields.string("time"),
            actor: try fields.string("actor"),
            action: try fields.string("action"),
            resource: try fields.optionalString("resource"),
            session: try fields.optionalString("session"),
            decision: decision,
            details: try fields.value("details")
        )
        hash = try fields.string("hash")
    }
}
