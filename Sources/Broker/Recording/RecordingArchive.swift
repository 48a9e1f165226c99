import HoopCore

/// Where every broker's recording segments are kept so that any broker can read them: replay, evidence export and
/// sealing the segment of a broker that died all go through it. A segment (`SealedRecording.name`: the session id for
/// the granting broker's, `<session>.<broker>` for another's) is only ever written at its end, by the broker
/// recording it, so the archive accepts bytes that extend or repeat what it holds and refuses anything else: shipping
/// the same range twice after a lost acknowledgement is harmless, while a gap or a rewrite of archived bytes — which
/// would change evidence after the fact — is an error.
package protocol RecordingArchive: Sendable {
    /// Stores `bytes` as segment `name`'s content from `offset` on. Bytes the archive already holds at that range
    /// must be identical (then only the rest is stored); an `offset` past the archived length is a gap. Returns the
    /// archived length afterwards.
    @discardableResult
    func append(_ bytes: [UInt8], to name: String, session: String, at offset: Int64) async throws -> Int64

    /// Up to `limit` bytes of segment `name` from `offset` on — fewer only where the segment ends, none at its end —
    /// or nil when the archive holds no segment of that name. Replay and export read segments a page at a time
    /// (`RecordingPages`), so a long session's recording is never held whole, and a page is read without holding
    /// anything open between pages: a slow reader ties up no archive connection.
    func read(_ name: String, from offset: Int64, limit: Int) async throws -> [UInt8]?

    /// The names of the segments of `session` the archive holds, sorted.
    func segments(of session: String) async throws -> [String]

    /// Cuts segment `name` back to its first `length` bytes: only for sealing an interrupted segment whose last line
    /// was torn, before its `end` event is appended.
    func truncate(_ name: String, to length: Int64) async throws

    /// Deletes segment `name` (retention, once its tombstone is kept); nothing happens when it is absent.
    func remove(_ name: String) async throws

    /// Keeps the signed tombstone (`RecordingTombstone.json`) that stands for segment `name` once retention pruned
    /// it, where every broker reading the archive finds it: an export through any broker must carry the tombstone
    /// of a segment another broker pruned. The first tombstone kept for a name stays.
    func keepTombstone(_ json: [UInt8], of name: String) async throws

    /// The tombstone of segment `name`, or nil when none was kept.
    func tombstone(of name: String) async throws -> [UInt8]?
}

extension RecordingArchive {
    /// The whole segment, or nil when the archive holds none of that name: for what must judge a segment as one
    /// (sealing an interrupted one, pruning); readers that pass bytes on use `pages(of:)`.
    package func segment(_ name: String) async throws -> [UInt8]? {
        var pages = pages(of: name)
        guard var whole = try await pages.next() else { return nil }
        while let page = try await pages.next() { whole.append(contentsOf: page) }
        return whole
    }

    /// Segment `name` page by page.
    package func pages(of name: String, pageSize: Int = RecordingPages.defaultPageSize) -> RecordingPages {
        RecordingPages(archive: self, name: name, pageSize: pageSize)
    }
}

/// A segment read a page at a time. The first `next()` is nil when the archive holds no such segment and an empty
/// page when it holds an empty one; after that, nil marks the end. Pages follow each other without gap or overlap:
/// each read starts where the bytes handed out so far end.
package struct RecordingPages: Sendable {
    /// Large enough that a page costs one round trip per megabyte, small enough that many replays at once stay cheap.
    package static let defaultPageSize = 1 << 20

    private let archive: any RecordingArchive
    package let name: String
    private let pageSize: Int
    /// The bytes handed out so far; nil before the first read.
    private var offset: Int64?
    private var finished = false

    init(archive: any RecordingArchive, name: String, pageSize: Int) {
        precondition(pageSize > 0, "a page holds at least one byte")
        self.archive = archive
        self.name = name
        self.pageSize = pageSize
    }

    package mutating func next() async throws -> [UInt8]? {
        guard !finished else { return nil }
        let start = offset ?? 0
        guard let page = try await archive.read(name, from: start, limit: pageSize) else {
            // A segment that vanished between pages (pruned meanwhile) is not silently shortened.
            if offset != nil { throw RecordingArchiveError.broken(name, offset: start, reason: "end early") }
            finished = true
            return nil
        }
        let first = offset == nil
        offset = start + Int64(page.count)
        if page.count < pageSize { finished = true }
        return page.isEmpty && !first ? nil : page
    }
}

/// Why the archive refused a request or could not give a whole segment.
package struct RecordingArchiveError: Error, Sendable, Equatable, CustomStringConvertible {
    package enum Kind: Sendable, Equatable {
        /// The name is not a plain segment name of its session.
        case unsafeName
        /// Bytes were offered, or a cut asked for, past the archived end.
        case gap
        /// Bytes were offered that differ from the archived ones at the same offset.
        case conflict
        /// The archived chunks do not join up.
        case broken
        /// The archive's storage failed.
        case unavailable
    }

    package var kind: Kind
    package var name: String
    /// The offset the problem is at, where there is one.
    package var offset: Int64?
    private var reason: String

    package var description: String { "recording \(name): \(reason)" }

    static func unsafeName(_ name: String, session: String) -> Self {
        Self(
            kind: .unsafeName, name: name, offset: nil,
            reason: "not a segment name of session \(session) (the session id or <session>.<broker>, plain characters)")
    }

    static func gap(_ name: String, archived: Int64, offset: Int64) -> Self {
        Self(
            kind: .gap, name: name, offset: archived,
            reason: "bytes offered at offset \(offset) but the archive ends at \(archived) (a gap)")
    }

    static func cutPastEnd(_ name: String, archived: Int64, length: Int64) -> Self {
        Self(
            kind: .gap, name: name, offset: archived,
            reason: "cannot be cut to \(length) bytes: the archive holds \(archived)")
    }

    static func readPastEnd(_ name: String, archived: Int64, offset: Int64) -> Self {
        Self(
            kind: .gap, name: name, offset: archived,
            reason: "cannot be read from offset \(offset): the archive holds \(archived) bytes")
    }

    static func conflict(_ name: String, offset: Int64) -> Self {
        Self(
            kind: .conflict, name: name, offset: offset,
            reason:
                "bytes offered at offset \(offset) differ from the archived ones (archived bytes are never rewritten)")
    }

    static func broken(_ name: String, offset: Int64, reason: String) -> Self {
        Self(kind: .broken, name: name, offset: offset, reason: "archived chunks \(reason) at offset \(offset)")
    }

    static func unavailable(_ name: String, _ reason: String) -> Self {
        Self(kind: .unavailable, name: name, offset: nil, reason: reason)
    }
}

/// Rules every archive applies the same way.
enum RecordingSegmentName {
    /// A segment belongs to its session: its name is the session id, or the session id, a dot and a broker id, in the
    /// characters a bundle accepts as a file name (`BundleLayout.isSafeRecordingName`).
    static func check(_ name: String, session: String) throws(RecordingArchiveError) {
        guard belongs(name, to: session) else { throw .unsafeName(name, session: session) }
    }

    /// Refuses a name that is not a plain segment name (`isSafe`), before it reaches a path or a query.
    static func requireSafe(_ name: String) throws(RecordingArchiveError) {
        guard isSafe(name) else { throw .unsafeName(name, session: session(of: name)) }
    }

    static func belongs(_ name: String, to session: String) -> Bool {
        isSafe(name) && (name == session || name.hasPrefix(session + "."))
    }

    static func isSafe(_ name: String) -> Bool {
        BundleLayout.isSafeRecordingName(name)
    }

    /// The session a segment name belongs to: the part before the first dot.
    static func session(of name: String) -> String {
        String(name.prefix { $0 != "." })
    }
}

/// The part of `bytes`, offered at `offset` to a segment archived up to `archived`, that is new — after checking
/// that what overlaps the archive is identical (`existing` reads archived bytes of a range).
struct RecordingAppendPlan {
    /// Where the new part starts: the archived length.
    var start: Int64
    var fresh: ArraySlice<UInt8>

    init(
        _ bytes: [UInt8], name: String, offset: Int64, archived: Int64,
        existing: (_ range: Range<Int64>) async throws -> [UInt8]
    ) async throws {
        guard offset >= 0, offset <= archived else {
            throw RecordingArchiveError.gap(name, archived: archived, offset: offset)
        }
        let end = offset + Int64(bytes.count)
        let overlap = offset..<min(end, archived)
        if !overlap.isEmpty {
            let held = try await existing(overlap)
            guard held.elementsEqual(bytes.prefix(overlap.count)) else {
                throw RecordingArchiveError.conflict(name, offset: offset)
            }
        }
        start = max(archived, offset)
        fresh = bytes[Int(start - offset)...]
    }
}
