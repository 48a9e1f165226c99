import Foundation

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reads and writes the small JSON files that hold secrets. Writes go to a temporary file created 0600 before any
/// byte lands in it, which is then renamed over the target: a crash leaves either the old or the new file, never a
/// torn or world-readable one.
enum SecureFile {
    static let directoryMode: mode_t = 0o700
    static let fileMode: mode_t = 0o600

    /// The file's bytes, or nil when it does not exist.
    static func read(_ path: String) throws(LocalError) -> Data? {
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch let error as CocoaError where error.code == .fileReadNoSuchFile {
            return nil
        } catch {
            throw .unreadableFile(path, reason: error.localizedDescription)
        }
    }

    /// Atomically replaces `path` with `data`, creating its directory 0700 if needed.
    static func write(_ data: Data, to path: String) throws(LocalError) {
        let directory = (path as NSString).deletingLastPathComponent
        try self.ensureDirectory(directory)

        let name = (path as NSString).lastPathComponent
        var template = Array(directory.joinedPath(".\(name).XXXXXX").utf8CString)
        // mkstemp creates the file with O_EXCL and mode 0600, so no other user can open it in between.
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else {
            throw .unwritableFile(path, reason: "cannot create a temporary file: \(self.lastErrorText())")
        }
        let temporaryPath = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        do throws(LocalError) {
            try self.writeAll(data, to: descriptor, path: path)
            guard close(descriptor) == 0 else {
                throw .unwritableFile(path, reason: self.lastErrorText())
            }
            guard rename(temporaryPath, path) == 0 else {
                throw .unwritableFile(path, reason: "cannot move the new file into place: \(self.lastErrorText())")
            }
        } catch {
            _ = close(descriptor)
            _ = unlink(temporaryPath)
            throw error
        }
    }

    /// Deletes `path`; a missing file is not an error.
    static func remove(_ path: String) throws(LocalError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw .unwritableFile(path, reason: "cannot delete it: \(self.lastErrorText())")
        }
    }

    /// Creates `directory` (and missing parents) and makes it 0700, tightening an existing one: it holds secrets.
    static func ensureDirectory(_ directory: String) throws(LocalError) {
        do {
            try FileManager.default.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: Int(self.directoryMode)]
            )
        } catch {
            throw .unwritableFile(directory, reason: "cannot create the directory: \(error.localizedDescription)")
        }
        guard chmod(directory, self.directoryMode) == 0 else {
            throw .unwritableFile(directory, reason: "cannot make the directory private: \(self.lastErrorText())")
        }
    }

    private static func writeAll(_ data: Data, to descriptor: Int32, path: String) throws(LocalError) {
        guard fchmod(descriptor, self.fileMode) == 0 else {
            throw .unwritableFile(path, reason: self.lastErrorText())
        }
        let failure: String? = data.withUnsafeBytes { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = posixWrite(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return self.lastErrorText()
                }
                offset += written
            }
            return nil
        }
        if let failure {
            throw .unwritableFile(path, reason: failure)
        }
        guard fsync(descriptor) == 0 else {
            throw .unwritableFile(path, reason: self.lastErrorText())
        }
    }

    private static func lastErrorText() -> String {
        String(cString: strerror(errno))
    }
}

/// `write(2)`, named apart from `SecureFile.write` so the call inside it is unambiguous.
private func posixWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
        Darwin.write(descriptor, bytes, count)
    #elseif canImport(Glibc)
        Glibc.write(descriptor, bytes, count)
    #elseif canImport(Musl)
        Musl.write(descriptor, bytes, count)
    #endif
}

extension LocalError {
    static func unreadableFile(_ path: String, reason: String) -> LocalError {
        LocalError(.localFile, "cannot read \(path): \(reason)", hint: "check that the file exists and is readable")
    }

    static func unwritableFile(_ path: String, reason: String) -> LocalError {
        LocalError(.localFile, "cannot write \(path): \(reason)", hint: "check the permissions of its directory")
    }
}
