package import Foundation
import HoopCore

/// The archive of a single embedded broker: its data dir's own `recordings/` folder, where `SessionRecorder` already
/// writes every segment, so there is nothing to copy — shipping to it finds the bytes in place and only checks them,
/// and reads are plain file reads. It still refuses gaps and rewrites, so the code that seals an interrupted segment
/// through an archive behaves the same over both.
package struct LocalRecordingArchive: RecordingArchive {
    /// The `recordings/` folder.
    package let directory: URL

    package init(directory: URL) {
        self.directory = directory
    }

    @discardableResult
    package func append(_ bytes: [UInt8], to name: String, session: String, at offset: Int64) async throws -> Int64 {
        try RecordingSegmentName.check(name, session: session)
        let url = file(name)
        do {
            if !FileManager.default.fileExists(atPath: url.path) {
                try FileManager.default.createDirectory(
                    at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                guard
                    FileManager.default.createFile(
                        atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
                else { throw RecordingArchiveError.unavailable(name, "cannot create \(url.path)") }
            }
            let handle = try FileHandle(forUpdating: url)
            defer { try? handle.close() }
            let archived = Int64(try handle.seekToEnd())
            let plan = try await RecordingAppendPlan(bytes, name: name, offset: offset, archived: archived) { range in
                try handle.seek(toOffset: UInt64(range.lowerBound))
                return Array(try handle.read(upToCount: range.count) ?? Data())
            }
            guard !plan.fresh.isEmpty else { return archived }
            try handle.seek(toOffset: UInt64(plan.start))
            try handle.write(contentsOf: plan.fresh)
            try handle.synchronize()
            return plan.start + Int64(plan.fresh.count)
        } catch let error as RecordingArchiveError {
            throw error
        } catch {
            throw RecordingArchiveError.unavailable(name, "cannot write \(url.path): \(error)")
        }
    }

    package func read(_ name: String, from offset: Int64, limit: Int) async throws -> [UInt8]? {
        try RecordingSegmentName.requireSafe(name)
        let url = file(name)
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            guard FileManager.default.fileExists(atPath: url.path) else { return nil }
            throw RecordingArchiveError.unavailable(name, "cannot open \(url.path)")
        }
        defer { try? handle.close() }
        do {
            let length = Int64(try handle.seekToEnd())
            guard offset >= 0, offset <= length else {
                throw RecordingArchiveError.readPastEnd(name, archived: length, offset: offset)
            }
            try handle.seek(toOffset: UInt64(offset))
            return Array(try handle.read(upToCount: limit) ?? Data())
        } catch let error as RecordingArchiveError {
            throw error
        } catch {
            throw RecordingArchiveError.unavailable(name, "cannot read \(url.path): \(error)")
        }
    }

    package func segments(of session: String) async throws -> [String] {
        guard FileManager.default.fileExists(atPath: directory.path) else { return [] }
        let files: [String]
        do {
            files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        } catch {
            throw RecordingArchiveError.unavailable(session, "cannot list \(directory.path): \(error)")
        }
        return files.compactMap { file -> String? in
            guard file.hasSuffix(Self.suffix) else { return nil }
            let name = String(file.dropLast(Self.suffix.count))
            return RecordingSegmentName.belongs(name, to: session) ? name : nil
        }.sorted()
    }

    package func truncate(_ name: String, to length: Int64) async throws {
        try RecordingSegmentName.requireSafe(name)
        do {
            let handle = try FileHandle(forWritingTo: file(name))
            defer { try? handle.close() }
            let archived = Int64(try handle.seekToEnd())
            guard length >= 0, length <= archived else {
                throw RecordingArchiveError.cutPastEnd(name, archived: archived, length: length)
            }
            try handle.truncate(atOffset: UInt64(length))
            try handle.synchronize()
        } catch let error as RecordingArchiveError {
            throw error
        } catch {
            throw RecordingArchiveError.unavailable(name, "cannot truncate \(file(name).path): \(error)")
        }
    }

    package func remove(_ name: String) async throws {
        try RecordingSegmentName.requireSafe(name)
        let url = file(name)
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw RecordingArchiveError.unavailable(name, "cannot remove \(url.path): \(error)")
        }
    }

    package func keepTombstone(_ json: [UInt8], of name: String) async throws {
        let url = try tombstoneFile(name)
        guard !FileManager.default.fileExists(atPath: url.path) else { return }
        do {
            try SecureFile.write(Data(json), to: url)
        } catch {
            throw RecordingArchiveError.unavailable(name, "cannot write \(url.path): \(error)")
        }
    }

    package func tombstone(of name: String) async throws -> [UInt8]? {
        FileManager.default.contents(atPath: try tombstoneFile(name).path).map(Array.init)
    }

    /// The tombstone's file beside the segments (`RecordingTombstone.fileName`).
    private func tombstoneFile(_ name: String) throws(RecordingArchiveError) -> URL {
        try RecordingSegmentName.requireSafe(name)
        return directory.appendingPathComponent(RecordingTombstone.fileName(name: name))
    }

    private static let suffix = ".jsonl"

    /// The segment's file, named like `SessionRecorder` names it.
    package func file(_ name: String) -> URL {
        directory.appendingPathComponent(name + Self.suffix)
    }
}
