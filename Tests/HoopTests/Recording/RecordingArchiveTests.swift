import Foundation
import PostgresNIO
import Testing

@testable import Broker

/// The archive's contract — appends that extend or repeat, never rewrite or skip; names that stay inside their
/// session — held by both implementations, and what only the shared one can get wrong: chunks that do not join,
/// long shipments, and two brokers appending at once.
@Suite("Recording archive")
struct RecordingArchiveTests {
    static let one = Array("{\"seq\":1}\n".utf8)
    static let two = Array("{\"seq\":2}\n".utf8)
    static let three = Array("{\"seq\":3}\n".utf8)

    /// What every archive must do, run against `archive` from empty.
    static func checkContract(_ archive: any RecordingArchive) async throws {
        #expect(try await archive.segment("ses_a") == nil)
        #expect(try await archive.segments(of: "ses_a") == [])
        #expect(try await archive.append(one, to: "ses_a", session: "ses_a", at: 0) == 10)
        // The same range again (an acknowledgement lost), then a resend from the same offset carrying more.
        #expect(try await archive.append(one, to: "ses_a", session: "ses_a", at: 0) == 10)
        #expect(try await archive.append(one + two, to: "ses_a", session: "ses_a", at: 0) == 20)
        #expect(try await archive.append(two, to: "ses_a", session: "ses_a", at: 10) == 20)
        #expect(try await archive.segment("ses_a") == one + two)

        let gap = await #expect(throws: RecordingArchiveError.self) {
            try await archive.append(three, to: "ses_a", session: "ses_a", at: 21)
        }
        #expect(gap?.kind == .gap && gap?.offset == 20)
        let rewrite = await #expect(throws: RecordingArchiveError.self) {
            try await archive.append(Array("{\"seq\":9}\n".utf8) + three, to: "ses_a", session: "ses_a", at: 10)
        }
        #expect(rewrite?.kind == .conflict && rewrite?.offset == 10)
        #expect(try await archive.segment("ses_a") == one + two, "a refused append leaves nothing behind")

        #expect(try await archive.append(three, to: "ses_a.brk_2", session: "ses_a", at: 0) == 10)
        #expect(try await archive.append(one, to: "ses_ab", session: "ses_ab", at: 0) == 10)
        #expect(try await archive.segments(of: "ses_a") == ["ses_a", "ses_a.brk_2"])
        #expect(try await archive.segments(of: "ses_ab") == ["ses_ab"])

        for (name, session) in [("../x", ".."), ("ses_b", "ses_a"), ("ses_a/../x", "ses_a"), (".ses_a", ""), ("", "")] {
            let refused = await #expect(throws: RecordingArchiveError.self, "\(name)") {
                try await archive.append(one, to: name, session: session, at: 0)
            }
            #expect(refused?.kind == .unsafeName)
        }
        let escaping = await #expect(throws: RecordingArchiveError.self) { try await archive.segment("../x") }
        #expect(escaping?.kind == .unsafeName)

        try await archive.truncate("ses_a", to: 13)
        #expect(try await archive.segment("ses_a") == Array((one + two).prefix(13)))
        let longCut = await #expect(throws: RecordingArchiveError.self) { try await archive.truncate("ses_a", to: 14) }
        #expect(longCut?.kind == .gap)
        #expect(try await archive.append(Array(two.dropFirst(3)) + three, to: "ses_a", session: "ses_a", at: 13) == 30)
        #expect(try await archive.segment("ses_a") == one + two + three)
        try await checkPages(archive)

        // A pruned segment's tombstone: the first kept stays, and names stay inside their session.
        #expect(try await archive.tombstone(of: "ses_a.brk_2") == nil)
        try await archive.keepTombstone(Array("{\"first\":1}\n".utf8), of: "ses_a.brk_2")
        try await archive.keepTombstone(Array("{\"second\":1}\n".utf8), of: "ses_a.brk_2")
        #expect(try await archive.tombstone(of: "ses_a.brk_2") == Array("{\"first\":1}\n".utf8))
        #expect(try await archive.tombstone(of: "ses_a") == nil)
        let outside = await #expect(throws: RecordingArchiveError.self) {
            try await archive.keepTombstone(Array("{}".utf8), of: "../x")
        }
        #expect(outside?.kind == .unsafeName)

        try await archive.remove("ses_a.brk_2")
        try await archive.remove("ses_a.brk_2")
        #expect(try await archive.segment("ses_a.brk_2") == nil)
        #expect(try await archive.segments(of: "ses_a") == ["ses_a"])
    }

    /// Segment `ses_a`, holding `one + two + three`, read a page at a time at page sizes below, at and above the
    /// chunk and segment lengths, and from inside a chunk.
    static func checkPages(_ archive: any RecordingArchive) async throws {
        let whole = one + two + three
        for size in [1, 4, 10, 29, 30, 64] {
            var pages = archive.pages(of: "ses_a", pageSize: size)
            var joined: [UInt8] = []
            var count = 0
            while let page = try await pages.next() {
                #expect(!page.isEmpty && page.count <= size, "page size \(size)")
                joined += page
                count += 1
            }
            #expect(joined == whole, "page size \(size)")
            #expect(count == (whole.count + size - 1) / size, "page size \(size)")
        }
        #expect(try await archive.read("ses_a", from: 13, limit: 4) == Array(whole[13..<17]))
        #expect(try await archive.read("ses_a", from: 27, limit: 100) == Array(whole[27...]))
        #expect(try await archive.read("ses_a", from: 30, limit: 4) == [])
        let past = await #expect(throws: RecordingArchiveError.self) {
            try await archive.read("ses_a", from: 31, limit: 4)
        }
        #expect(past?.kind == .gap && past?.offset == 30)
        #expect(try await archive.read("ses_none", from: 0, limit: 4) == nil)
        var absent = archive.pages(of: "ses_none")
        #expect(try await absent.next() == nil)
    }

    @Test("the data dir's own folder keeps the contract")
    func localContract() async throws {
        let directory = try TestEnvironment.scratchDirectory("archive").appendingPathComponent("recordings")
        defer { try? FileManager.default.removeItem(at: directory.deletingLastPathComponent()) }
        let archive = LocalRecordingArchive(directory: directory)
        try await Self.checkContract(archive)
        #expect(
            FileManager.default.contents(atPath: archive.file("ses_a").path) == Data(Self.one + Self.two + Self.three))
        #expect(
            !FileManager.default.fileExists(
                atPath: directory.deletingLastPathComponent().appendingPathComponent("x.jsonl").path))
    }

    @Test("PostgreSQL keeps the contract")
    func postgresContract() async throws {
        try await ArchiveDatabase.with { database in
            try await Self.checkContract(database.archive)
            // One chunk per append that brought new bytes — the first, the second (cut to its first 3 bytes), the
            // last — and none for the repeats.
            #expect(try await database.chunkCount("ses_a") == 3)
        }
    }

    @Test("chunks that do not join are an error naming the offset")
    func brokenChunks() async throws {
        try await ArchiveDatabase.with { database in
            try await database.client.query(
                """
                INSERT INTO recording_chunks (name, session, start_offset, bytes)
                VALUES ('ses_g', 'ses_g', 0, 'abc'::bytea), ('ses_g', 'ses_g', 5, 'def'::bytea),
                    ('ses_o', 'ses_o', 0, 'abc'::bytea), ('ses_o', 'ses_o', 2, 'cde'::bytea)
                """)
            let gap = await #expect(throws: RecordingArchiveError.self) { try await database.archive.segment("ses_g") }
            #expect(gap?.kind == .broken && gap?.offset == 3)
            #expect(gap?.description == "recording ses_g: archived chunks leave a gap at offset 3")
            let overlap = await #expect(throws: RecordingArchiveError.self) {
                try await database.archive.segment("ses_o")
            }
            #expect(overlap?.kind == .broken && overlap?.offset == 3)
            // Appending over the gap is refused rather than hiding it.
            let append = await #expect(throws: RecordingArchiveError.self) {
                try await database.archive.append(Array("abcXY".utf8), to: "ses_g", session: "ses_g", at: 0)
            }
            #expect(append?.kind == .broken)
        }
    }

    @Test("a long shipment is stored in bounded chunks and reads back whole")
    func longShipment() async throws {
        try await ArchiveDatabase.with { (database) async throws in
            let bytes = (0..<(PostgresRecordingArchive.chunkLimit * 5 / 2)).map { UInt8(truncatingIfNeeded: $0 * 7) }
            #expect(
                try await database.archive.append(bytes, to: "ses_l", session: "ses_l", at: 0) == Int64(bytes.count))
            #expect(try await database.chunkCount("ses_l") == 3)
            #expect(try await database.archive.segment("ses_l") == bytes)
            // Pages of a megabyte cut across the chunk boundaries; what they hold joins up to the shipment.
            var pages = database.archive.pages(of: "ses_l")
            var sizes: [Int] = []
            var joined: [UInt8] = []
            while let page = try await pages.next() {
                sizes.append(page.count)
                joined += page
            }
            #expect(sizes == [RecordingPages.defaultPageSize, RecordingPages.defaultPageSize, bytes.count / 5])
            #expect(joined == bytes)
        }
    }

    @Test("two brokers appending at once: identical bytes are kept once, different bytes only once")
    func concurrentAppends() async throws {
        try await ArchiveDatabase.with { database in
            let archive = database.archive
            let same = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<4 {
                    group.addTask { try await archive.append(Self.one, to: "ses_c", session: "ses_c", at: 0) }
                }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(same == [10, 10, 10, 10])
            #expect(try await archive.segment("ses_c") == Self.one)

            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for bytes in [Self.two, Self.three] {
                    group.addTask {
                        (try? await archive.append(bytes, to: "ses_c", session: "ses_c", at: 10)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 1)
            let held = try await archive.segment("ses_c")
            #expect(held == Self.one + Self.two || held == Self.one + Self.three)
        }
    }
}
