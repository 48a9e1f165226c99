import Foundation

/// A tmpfs of a few megabytes mounted for one test, so "the disk is full" is real: once `fill` has taken the free
/// space, writes fail with ENOSPC exactly as on a full disk, and `free` gives the space back. Mounting needs root
/// with CAP_SYS_ADMIN; tests that use it are enabled by `isAvailable`.
final class SmallFilesystem: Sendable {
    let mountPoint: URL

    /// Mounts a `megabytes` tmpfs (mode 0700) on `mountPoint`, creating the directory.
    init(at mountPoint: URL, megabytes: Int) throws {
        try FileManager.default.createDirectory(at: mountPoint, withIntermediateDirectories: true)
        guard mount("tmpfs", mountPoint.path, "tmpfs", 0, "size=\(megabytes)m,mode=0700") == 0 else {
            throw PeerError("cannot mount a tmpfs on \(mountPoint.path): \(String(cString: strerror(errno)))")
        }
        self.mountPoint = mountPoint
    }

    /// Whether this process may mount one (checked once by mounting and unmounting a tiny tmpfs).
    static let isAvailable: Bool = {
        guard let probe = try? TestEnvironment.scratchDirectory("mount-probe") else { return false }
        defer { try? FileManager.default.removeItem(at: probe) }
        guard (try? SmallFilesystem(at: probe, megabytes: 1)) != nil else { return false }
        return umount2(probe.path, 0) == 0
    }()

    /// Takes every free byte with one file, as a runaway log would, and returns it. Throws unless the filesystem
    /// ended up refusing writes with ENOSPC.
    func fill() throws -> URL {
        let filler = mountPoint.appendingPathComponent("filler-\(UUID().uuidString.prefix(8))")
        let descriptor = open(filler.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw PeerError("cannot create \(filler.path)") }
        defer { close(descriptor) }
        for chunk in [1 << 20, 4096, 1] {
            let bytes = [UInt8](repeating: 0x2e, count: chunk)
            while bytes.withUnsafeBytes({ write(descriptor, $0.baseAddress, $0.count) }) > 0 {}
            guard errno == ENOSPC else {
                throw PeerError("filling \(mountPoint.path) stopped with \(String(cString: strerror(errno)))")
            }
        }
        return filler
    }

    /// Gives back the space `fill` took.
    func free(_ filler: URL) throws {
        try FileManager.default.removeItem(at: filler)
    }

    /// Unmounts, lazily if something still holds a file open there.
    func unmount() {
        _ = umount2(mountPoint.path, Int32(MNT_DETACH))
    }
}
