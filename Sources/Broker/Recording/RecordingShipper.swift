import Foundation

/// Copies a live recording segment to the shared archive as it grows, so that another broker can replay, export or
/// seal it even if this one dies: each `ship` sends the whole events the recorder wrote since the last acknowledged
/// shipment. The session manager calls it every second after `SessionRecorder.flush()` and once more after
/// `finish()`.
///
/// A shipment that fails throws and moves nothing forward: the next one starts again from the last offset the
/// archive acknowledged, and the archive accepts the repeated part as long as it is identical. So a failure costs
/// time, never bytes.
package actor RecordingShipper {
    nonisolated package let recorder: SessionRecorder
    nonisolated package let session: String
    /// The segment's name: the recorder's file name without `.jsonl`.
    nonisolated package let name: String
    private let archive: any RecordingArchive
    /// How far the archive has acknowledged the segment.
    package private(set) var shippedLength: Int64 = 0

    package init(recorder: SessionRecorder, session: String, archive: any RecordingArchive) {
        self.recorder = recorder
        self.session = session
        self.name = recorder.url.deletingPathExtension().lastPathComponent
        self.archive = archive
    }

    /// Sends what was written since the last acknowledged shipment; returns the length shipped so far.
    @discardableResult
    package func ship() async throws -> Int64 {
        let written = recorder.writtenLength
        guard written > shippedLength else { return shippedLength }
        let bytes = try read(from: shippedLength, to: written)
        // The archive may already hold more (its own copy grew another way); only what was checked counts.
        try await archive.append(bytes, to: name, session: session, at: shippedLength)
        shippedLength = written
        return written
    }

    /// The file's bytes of `[start, end)`: they are whole events, written before `writtenLength` counted them.
    private func read(from start: Int64, to end: Int64) throws(RecordingError) -> [UInt8] {
        let path = recorder.url.path
        do {
            let handle = try FileHandle(forReadingFrom: recorder.url)
            defer { try? handle.close() }
            try handle.seek(toOffset: UInt64(start))
            let data = try handle.read(upToCount: Int(end - start)) ?? Data()
            guard data.count == Int(end - start) else {
                throw RecordingError(
                    path: path, reason: "holds \(start + Int64(data.count)) bytes, \(end) were written (cut short)")
            }
            return Array(data)
        } catch let error as RecordingError {
            throw error
        } catch {
            throw RecordingError(path: path, reason: "cannot read the recording to ship it: \(error)")
        }
    }
}
