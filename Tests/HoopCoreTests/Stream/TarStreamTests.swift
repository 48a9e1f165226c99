import Foundation
import HoopCore
import Testing

/// The tar stream bundles travel in: what the writer produces reads back the same in any split, GNU tar reads it and
/// writes what the reader accepts, and everything a hostile or broken stream can hold is refused by class.
@Suite("Tar stream")
struct TarStreamTests {
    /// Longer than the name field: it travels split into the prefix field.
    static let longPath = String(repeating: "d", count: 60) + "/" + String(repeating: "e", count: 60) + "/f.jsonl"
    static let files: [(String, [UInt8])] = [
        ("events.jsonl", Array("{\"seq\":1}\n".utf8)),
        ("pubkey", []),
        ("recordings/a.jsonl", (0..<511).map { UInt8(truncatingIfNeeded: $0) }),
        ("recordings/b.jsonl", (0..<512).map { UInt8(truncatingIfNeeded: $0 * 3) }),
        ("recordings/c.jsonl", (0..<70_001).map { UInt8(truncatingIfNeeded: $0 * 7) }),
        (longPath, Array("long".utf8)),
    ]

    static func archive(_ files: [(String, [UInt8])] = files) throws -> [UInt8] {
        try files.reduce(into: [UInt8]()) { $0 += try BundleTarEncoding.file($1.0, $1.1) } + TarHeader.endOfArchive
    }

    /// Feeds `bytes` in pieces of `piece` bytes and joins each file's data.
    static func read(_ bytes: [UInt8], piece: Int) throws -> [(String, [UInt8])] {
        var reader = TarStreamReader()
        var files: [(String, [UInt8])] = []
        var open = false
        var start = 0
        while start < bytes.count {
            for event in try reader.feed(bytes[start..<min(bytes.count, start + piece)]) {
                switch event {
                case .file(let header):
                    #expect(!open, "a file begins only after the last one ended")
                    files.append((header.path, []))
                    open = true
                case .data(let data):
                    files[files.count - 1].1 += data
                case .endOfFile:
                    open = false
                }
            }
            start += piece
        }
        try reader.finish()
        return files
    }

    static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("hoop-tar-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    static func tar(_ arguments: [String], in directory: URL) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/tar")
        process.arguments = arguments
        process.currentDirectoryURL = directory
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }

    @Test(
        "every file reads back the same, whatever pieces the stream arrives in",
        arguments: [1, 7, 512, 513, 4096, 1 << 20])
    func roundTrip(piece: Int) throws {
        let read = try Self.read(try Self.archive(), piece: piece)
        #expect(read.map(\.0) == Self.files.map(\.0))
        #expect(read.map(\.1) == Self.files.map(\.1))
    }

    @Test("GNU tar unpacks what the broker sends, and the reader takes what GNU tar writes")
    func gnuTar() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let archive = directory.appendingPathComponent("bundle.tar")
        try Data(try Self.archive()).write(to: archive)
        let out = directory.appendingPathComponent("out")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        #expect(try Self.tar(["-xf", archive.path, "-C", out.path], in: directory) == 0)
        for (path, bytes) in Self.files {
            #expect(
                FileManager.default.contents(atPath: out.appendingPathComponent(path).path) == Data(bytes), "\(path)")
        }

        let theirs = directory.appendingPathComponent("theirs.tar")
        #expect(
            try Self.tar(["--format=ustar", "-cf", theirs.path] + Self.files.map(\.0), in: out) == 0)
        let read = try Self.read(Array(try Data(contentsOf: theirs)), piece: 1000)
        #expect(read.map(\.0) == Self.files.map(\.0))
        #expect(read.map(\.1) == Self.files.map(\.1))
    }

    /// A header for `path` with one field overwritten, its checksum made right again unless `keepChecksum`.
    static func header(_ path: String = "events.jsonl", size: Int64 = 0, set offset: Int? = nil, to value: [UInt8] = [])
        throws -> [UInt8]
    {
        var block = try TarHeader(path: path, size: size).encoded()
        if let offset {
            for (index, byte) in value.enumerated() { block[offset + index] = byte }
            let sum = block.indices.reduce(0) { $0 + ((148..<156).contains($1) ? 32 : Int(block[$1])) }
            let digits = Array(String(sum, radix: 8).utf8)
            let field = [UInt8](repeating: UInt8(ascii: "0"), count: 6 - digits.count) + digits + [0, 32]
            for (index, byte) in field.enumerated() { block[148 + index] = byte }
        }
        return block
    }

    @Test("hostile and broken streams are refused by class")
    func refusals() throws {
        let end = TarHeader.endOfArchive
        var flipped = try Self.header()
        flipped[3] ^= 1
        let name = Array("../../etc/passwd".utf8) + [UInt8](repeating: 0, count: 84)
        let cases: [(String, [UInt8], TarError)] = [
            ("a symlink", try Self.header(set: 156, to: [UInt8(ascii: "2")]) + end, .notRegularFile(UInt8(ascii: "2"))),
            (
                "a directory", try Self.header(set: 156, to: [UInt8(ascii: "5")]) + end,
                .notRegularFile(UInt8(ascii: "5"))
            ),
            (
                "a hard link", try Self.header(set: 156, to: [UInt8(ascii: "1")]) + end,
                .notRegularFile(UInt8(ascii: "1"))
            ),
            ("a parent path", try Self.header(set: 0, to: name) + end, .badPath("../../etc/passwd")),
            ("an absolute path", try Self.header(set: 0, to: Array("/etc/x\0".utf8)) + end, .badPath("/etc/x")),
            ("a size that is not octal", try Self.header(set: 124, to: Array("0000000009\0".utf8)) + end, .badSize),
            ("not ustar", try Self.header(set: 257, to: Array("GNUtar".utf8)) + end, .notUstar),
            ("a wrong checksum", flipped + end, .badChecksum),
            ("a path twice", try Self.header() + Self.header() + end, .duplicate("events.jsonl")),
            ("data after the end", try Self.archive([]) + [1], .trailingData),
            (
                "a header after one zero block", [UInt8](repeating: 0, count: 512) + (try Self.header()) + end,
                .trailingData
            ),
        ]
        for (what, bytes, expected) in cases {
            #expect(throws: expected, "\(what)") { try Self.read(bytes, piece: 100) }
        }
        #expect(throws: TarError.badPath("a//b")) { try TarHeader(path: "a//b", size: 0).encoded() }
        #expect(throws: TarError.badPath(String(repeating: "x", count: 101))) {
            try TarHeader(path: String(repeating: "x", count: 101), size: 0).encoded()
        }
    }

    @Test("a stream cut anywhere before its end blocks is not a whole archive")
    func truncation() throws {
        let whole = try Self.archive()
        for cut in [0, 100, 512, 600, whole.count - 1024, whole.count - 512, whole.count - 1] {
            #expect(throws: TarError.truncated, "cut at \(cut)") { try Self.read(Array(whole.prefix(cut)), piece: 333) }
        }
        #expect(try Self.read(whole + [UInt8](repeating: 0, count: 8192), piece: 4096).count == Self.files.count)
    }
}
