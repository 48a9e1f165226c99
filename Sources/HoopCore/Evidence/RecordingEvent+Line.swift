/// A recording event as the recorder writes it: its hash and its line, from one encoding of its fields.
package struct EncodedRecordingEvent: Sendable {
    package var hash: String
    /// The canonical JSON of every field, `prev` and `hash` included, and a newline.
    package var line: [UInt8]
}

extension RecordingEvent {
    /// Encodes an event without building its JSON object twice: the hashed body and the line share their members
    /// (canonical key order puts `hash` after `dir` and `prev` after `kind`), so each member is encoded once and the
    /// two texts are assembled from the same bytes. The result equals `CanonicalJSON` of `hashedBody` plus `prev` and
    /// `hash`, which the tests spell out and compare against.
    package static func encode(
        seq: Int64,
        t: Int64,
        kind: RecordingKind,
        conn: Int64,
        dir: RecordingDirection?,
        data: String?,
        details: JSONValue,
        prev: String
    ) -> EncodedRecordingEvent {
        var head: [UInt8] = []
        head.reserveCapacity(96 + (data?.utf8.count ?? 0))
        member("conn", .int(conn), first: true, to: &head)
        member("data", JSONValue(data), to: &head)
        member("details", details, to: &head)
        member("dir", JSONValue(dir?.rawValue), to: &head)
        var kindMember: [UInt8] = []
        member("kind", .string(kind.rawValue), to: &kindMember)
        var tail: [UInt8] = []
        member("seq", .int(seq), to: &tail)
        member("t", .int(t), to: &tail)

        var body = [UInt8(ascii: "{")]
        body.reserveCapacity(head.count + kindMember.count + tail.count + 2)
        body += head
        body += kindMember
        body += tail
        body.append(UInt8(ascii: "}"))
        let hash = HashChain.link(prev: prev, canonicalBody: body)

        var line = [UInt8(ascii: "{")]
        line.reserveCapacity(body.count + 160)
        line += head
        member("hash", .string(hash), to: &line)
        line += kindMember
        member("prev", .string(prev), to: &line)
        line += tail
        line.append(contentsOf: "}\n".utf8)
        return EncodedRecordingEvent(hash: hash, line: line)
    }

    private static func member(_ key: String, _ value: JSONValue, first: Bool = false, to output: inout [UInt8]) {
        if !first { output.append(UInt8(ascii: ",")) }
        CanonicalJSON.append(.string(key), to: &output)
        output.append(UInt8(ascii: ":"))
        CanonicalJSON.append(value, to: &output)
    }
}
