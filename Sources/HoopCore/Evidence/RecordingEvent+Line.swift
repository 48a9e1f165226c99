import Crypto

/// A recording event as the recorder writes it: its hash and its line, from one encoding of its fields.
package struct EncodedRecordingEvent: Sendable {
    package var hash: String
    /// The canonical JSON of every field, `prev` and `hash` included, and a newline.
    package var line: [UInt8]
}

extension RecordingEvent {
    /// Encodes an event whose `data` is already base64 text (or absent).
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
        assemble(
            seq: seq, t: t, kind: kind, conn: conn, dir: dir, dataLength: data?.utf8.count ?? 4, details: details,
            prev: prev
        ) { line in
            CanonicalJSON.append(JSONValue(data), to: &line)
        }
    }

    /// Encodes a `data` event straight from the relayed bytes, which become its base64 `data` inside the line
    /// without an intermediate string.
    package static func encode(
        seq: Int64,
        t: Int64,
        conn: Int64,
        dir: RecordingDirection,
        bytes: UnsafeRawBufferPointer,
        details: JSONValue,
        prev: String
    ) -> EncodedRecordingEvent {
        let length = Base64Appender.encodedCount(bytes.count) + 2
        return assemble(
            seq: seq, t: t, kind: .data, conn: conn, dir: dir, dataLength: length, details: details, prev: prev
        ) { line in
            line.append(UInt8(ascii: "\""))
            Base64Appender.append(bytes, to: &line)
            line.append(UInt8(ascii: "\""))
        }
    }

    /// Encodes an event in one pass over one buffer. Canonical key order puts `hash` after `dir` and `prev` after
    /// `kind`, so the line is the hashed body with those two members slotted in: the body is hashed from the
    /// line's own byte ranges (no second copy), and the hash is written into the slot kept for it. The result
    /// equals `CanonicalJSON` of `hashedBody` plus `prev` and `hash`, which the tests spell out and compare against.
    private static func assemble(
        seq: Int64,
        t: Int64,
        kind: RecordingKind,
        conn: Int64,
        dir: RecordingDirection?,
        dataLength: Int,
        details: JSONValue,
        prev: String,
        appendData: (inout [UInt8]) -> Void
    ) -> EncodedRecordingEvent {
        var line: [UInt8] = []
        line.reserveCapacity(256 + dataLength)
        line.append(UInt8(ascii: "{"))
        key("conn", first: true, to: &line)
        CanonicalJSON.append(.int(conn), to: &line)
        key("data", to: &line)
        appendData(&line)
        key("details", to: &line)
        CanonicalJSON.append(details, to: &line)
        key("dir", to: &line)
        CanonicalJSON.append(JSONValue(dir?.rawValue), to: &line)
        let headEnd = line.count
        key("hash", to: &line)
        line.append(UInt8(ascii: "\""))
        let hashStart = line.count
        line.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: 64))
        line.append(UInt8(ascii: "\""))
        let kindStart = line.count
        key("kind", to: &line)
        CanonicalJSON.append(.string(kind.rawValue), to: &line)
        let kindEnd = line.count
        key("prev", to: &line)
        CanonicalJSON.append(.string(prev), to: &line)
        let tailStart = line.count
        key("seq", to: &line)
        CanonicalJSON.append(.int(seq), to: &line)
        key("t", to: &line)
        CanonicalJSON.append(.int(t), to: &line)
        let tailEnd = line.count
        line.append(contentsOf: "}\n".utf8)

        var hasher = SHA256()
        var prevText = prev
        prevText.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        line.withUnsafeBytes { raw in
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[0..<headEnd]))
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[kindStart..<kindEnd]))
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: raw[tailStart..<tailEnd]))
        }
        withUnsafeBytes(of: UInt8(ascii: "}")) { hasher.update(bufferPointer: $0) }
        let hash = hasher.finalize().hexString
        line.replaceSubrange(hashStart..<hashStart + 64, with: hash.utf8)
        return EncodedRecordingEvent(hash: hash, line: line)
    }

    /// `"key":`, preceded by a comma unless it is the object's first member. Keys here are plain ASCII names.
    private static func key(_ name: StaticString, first: Bool = false, to output: inout [UInt8]) {
        if !first { output.append(UInt8(ascii: ",")) }
        output.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { output.append(contentsOf: $0) }
        output.append(contentsOf: "\":".utf8)
    }
}
