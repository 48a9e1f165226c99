import Foundation
import HoopCore
import Testing

/// Taking in a streamed bundle: files land in the directory as they arrive and the folder takes its name only when
/// the archive is whole; what no bundle holds, or more than the memory bound, is refused and leaves nothing behind.
@Suite("Streamed bundle receiver")
struct BundleTarReceiverTests {
    static let files: [(String, [UInt8])] = [
        (BundleLayout.events, Array("{\"seq\":1}\n".utf8)),
        (BundleLayout.manifest, Array("{}".utf8)),
        (BundleLayout.recording(name: "ses_a"), (0..<5_000).map { UInt8(truncatingIfNeeded: $0) }),
        (BundleLayout.tombstone(name: "ses_b.brk_2"), Array("{}\n".utf8)),
    ]

    @Test("files stream into a folder that appears only once the archive is whole")
    func intoDirectory() throws {
        let root = try TarStreamTests.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("bundle")
        let partial = root.appendingPathComponent("bundle.partial")
        var receiver = BundleTarReceiver(
            directory: try BundleDirectoryWriter(directory: directory), memoryLimit: 1 << 20)
        let archive = try TarStreamTests.archive(Self.files)
        try receiver.receive(archive.prefix(archive.count - 600))
        #expect(!FileManager.default.fileExists(atPath: directory.path))
        #expect(FileManager.default.fileExists(atPath: partial.path))
        try receiver.receive(archive.suffix(600))
        let kept = try receiver.finish()
        #expect(!FileManager.default.fileExists(atPath: partial.path))
        for (path, bytes) in Self.files {
            #expect(FileManager.default.contents(atPath: directory.appendingPathComponent(path).path) == Data(bytes))
        }
        // In memory: the small files, not the recordings folder.
        #expect(kept.files.keys.sorted() == [BundleLayout.events, BundleLayout.manifest])
        #expect(throws: EvidenceBundleIOError.self) { try BundleDirectoryWriter(directory: directory) }
    }

    @Test("a stream cut short leaves no bundle folder once abandoned")
    func cutShort() throws {
        let root = try TarStreamTests.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let directory = root.appendingPathComponent("bundle")
        var receiver = BundleTarReceiver(
            directory: try BundleDirectoryWriter(directory: directory), memoryLimit: 1 << 20)
        let archive = try TarStreamTests.archive(Self.files)
        try receiver.receive(archive.prefix(3_000))
        #expect(throws: BundleStreamError.archive(.truncated)) { try receiver.finish() }
        receiver.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == [])
    }

    @Test(
        "paths no bundle has are refused before anything is written",
        arguments: [
            "evil.sh", "recordings/sub/x.jsonl", "recordings/x.sh", "recordings/.hidden.jsonl", "events.jsonl.bak",
        ])
    func foreignPaths(path: String) throws {
        let root = try TarStreamTests.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        var receiver = BundleTarReceiver(
            directory: try BundleDirectoryWriter(directory: root.appendingPathComponent("bundle")),
            memoryLimit: 1 << 20)
        #expect(throws: BundleStreamError.unexpectedFile(path)) {
            try receiver.receive(try TarStreamTests.archive([(path, Array("x".utf8))]))
        }
        receiver.abandon()
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == [])
    }

    @Test("the bytes kept in memory are bounded")
    func memoryBound() throws {
        var receiver = BundleTarReceiver(directory: nil, memoryLimit: 11)
        #expect(throws: BundleStreamError.tooLarge(BundleLayout.manifest, limit: 11)) {
            try receiver.receive(try TarStreamTests.archive(Self.files))
        }
        var keeping = BundleTarReceiver(directory: nil, memoryLimit: 1 << 20, keepsRecordings: true)
        try keeping.receive(try TarStreamTests.archive(Self.files))
        #expect(try keeping.finish().files.count == Self.files.count)
    }
}
