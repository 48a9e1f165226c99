package import Foundation

/// Writes a bundle into a new directory file by file, as its bytes arrive, so a bundle streamed from the broker is
/// never held whole. Files go to `<directory>.partial` and the folder takes its final name only in `commit()`: a
/// transfer cut short leaves no folder that looks like a bundle. Only paths a bundle has are written
/// (`BundleLayout.isBundlePath`), each once.
package final class BundleDirectoryWriter {
    private let final: URL
    private let partial: URL
    private var open: (path: String, handle: FileHandle)?
    private var written: Set<String> = []

    /// Prepares `directory`, which must not exist yet (a stale `.partial` beside it is replaced).
    package init(directory: URL) throws(EvidenceBundleIOError) {
        final = directory.standardizedFileURL
        partial = final.deletingLastPathComponent().appendingPathComponent(final.lastPathComponent + ".partial")
        let files = FileManager.default
        guard !files.fileExists(atPath: final.path) else {
            throw EvidenceBundleIOError(path: final.path, reason: "already exists; choose a new directory")
        }
        do {
            if files.fileExists(atPath: partial.path) { try files.removeItem(at: partial) }
            try files.createDirectory(at: partial, withIntermediateDirectories: true)
        } catch {
            throw EvidenceBundleIOError(path: partial.path, reason: "cannot create: \(error.localizedDescription)")
        }
    }

    /// Starts file `path` (relative to the bundle), ending the one before.
    package func begin(_ path: String) throws(EvidenceBundleIOError) {
        try end()
        guard BundleLayout.isBundlePath(path) else {
            throw EvidenceBundleIOError(path: path, reason: "is not a file an evidence bundle holds")
        }
        guard written.insert(path).inserted else {
            throw EvidenceBundleIOError(path: path, reason: "appears twice in the bundle")
        }
        let url = partial.appendingPathComponent(path)
        do {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw EvidenceBundleIOError(path: url.path, reason: "cannot create the file")
            }
            open = (path, try FileHandle(forWritingTo: url))
        } catch let error as EvidenceBundleIOError {
            throw error
        } catch {
            throw EvidenceBundleIOError(path: url.path, reason: "cannot create: \(error.localizedDescription)")
        }
    }

    /// Appends to the file begun last.
    package func write(_ bytes: some Collection<UInt8>) throws(EvidenceBundleIOError) {
        guard let open else {
            throw EvidenceBundleIOError(path: partial.path, reason: "bytes arrived outside any file")
        }
        do {
            try open.handle.write(contentsOf: Array(bytes))
        } catch {
            throw EvidenceBundleIOError(
                path: partial.appendingPathComponent(open.path).path,
                reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Ends the file begun last, if any.
    package func end() throws(EvidenceBundleIOError) {
        guard let current = open else { return }
        open = nil
        do {
            try current.handle.synchronize()
            try current.handle.close()
        } catch {
            throw EvidenceBundleIOError(
                path: partial.appendingPathComponent(current.path).path,
                reason: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Gives the folder its final name.
    package func commit() throws(EvidenceBundleIOError) {
        try end()
        do {
            try FileManager.default.moveItem(at: partial, to: final)
        } catch {
            throw EvidenceBundleIOError(
                path: final.path, reason: "cannot write the bundle: \(error.localizedDescription)")
        }
    }

    /// Removes what was written, after a failure.
    package func abandon() {
        if let open { try? open.handle.close() }
        open = nil
        try? FileManager.default.removeItem(at: partial)
    }
}
