import FuzzSupport

@testable import HoopCore

/// One libFuzzer input. First byte even: the rest is a recording file as replay and the bundle verifier read it.
/// Checked on what the reader accepts: a `start` first, seqs from 1 without gaps, each `prev` the hash of the event
/// before, each hash that of the event's fields, and the events written out again read back the same.
///
/// First byte odd: the rest describes events (kind, connection, direction, data) that are written as the recorder
/// writes them; the file must read back as exactly those events. Then one byte of it is changed (position and
/// value from the input's last three bytes): the file must then be refused or read back as the same events.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzRecording(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    if input.byte() & 1 == 0 {
        let bytes = Array(input.rest())
        if let events = try? RecordingFile.events(in: bytes) {
            checkChain(events)
            require((try? RecordingFile.events(in: write(events))) == events, "the events written again read otherwise")
        }
        return 0
    }
    var edit = (position: 0, value: UInt8(0))
    if input.bytes.count >= 4 {
        let tail = input.bytes.suffix(3)
        edit = (Int(tail[tail.startIndex]) << 8 | Int(tail[tail.startIndex + 1]), tail[tail.startIndex + 2])
    }
    let events = recorded(&input)
    var file = write(events)
    guard let read = try? RecordingFile.events(in: file) else {
        fatalError("a recording as the recorder writes it is refused: \(events)")
    }
    require(read == events, "a recording reads back as other events")
    let position = edit.position % file.count
    guard file[position] != edit.value else { return 0 }
    file[position] = edit.value
    if let tampered = try? RecordingFile.events(in: file) {
        require(tampered == events, "a changed byte at \(position) was read as other events")
    }
    return 0
}

/// Events from the input, chained as the recorder chains them: a start, then one event per five input bytes, the
/// last an end when the input says so.
func recorded(_ input: inout FuzzInput) -> [RecordingEvent] {
    let kinds: [RecordingKind] = [.open, .data, .query, .result, .resize, .close, .end]
    var events: [RecordingEvent] = []
    var prev = HashChain.genesis
    func append(_ kind: RecordingKind, conn: Int64, dir: RecordingDirection?, data: [UInt8]?, details: JSONValue) {
        let event = RecordingEvent(
            seq: Int64(events.count + 1), t: Int64(events.count) * 250, kind: kind, conn: conn, dir: dir,
            data: data.map(\.base64), details: details, prev: prev)
        prev = event.hash
        events.append(event)
    }
    append(.start, conn: 0, dir: nil, data: nil, details: ["resource": "db", "type": "postgres"])
    while input.bytes.count - input.offset > 3 {
        let kind = kinds[Int(input.byte()) % kinds.count]
        let conn = Int64(input.byte() % 4)
        let dir: RecordingDirection? = [nil, .up, .down][Int(input.byte()) % 3]
        let payload = Array(input.take(Int(input.byte() % 32)))
        append(kind, conn: conn, dir: dir, data: kind == .data ? payload : nil, details: ["n": .int(Int64(conn))])
        if kind == .end { break }
    }
    return events
}

func checkChain(_ events: [RecordingEvent]) {
    var prev = HashChain.genesis
    for (index, event) in events.enumerated() {
        require(index > 0 || event.kind == .start, "the first event accepted is \(event.kind)")
        require(event.seq == Int64(index + 1), "event \(index) has seq \(event.seq)")
        require(event.prev == prev, "event \(event.seq) does not link to the one before")
        let rehashed = RecordingEvent(
            seq: event.seq, t: event.t, kind: event.kind, conn: event.conn, dir: event.dir, data: event.data,
            details: event.details, prev: event.prev)
        require(rehashed.hash == event.hash, "event \(event.seq) was accepted with a hash not of its fields")
        prev = event.hash
    }
}

/// The recorder's encoding of `events`, one line each.
func write(_ events: [RecordingEvent]) -> [UInt8] {
    events.flatMap { event in
        RecordingEvent.encode(
            seq: event.seq, t: event.t, kind: event.kind, conn: event.conn, dir: event.dir, data: event.data,
            details: event.details, prev: event.prev
        ).line
    }
}

extension [UInt8] {
    var base64: String {
        var text: [UInt8] = []
        withUnsafeBytes { Base64Appender.append($0, to: &text) }
        return String(decoding: text, as: UTF8.self)
    }
}
