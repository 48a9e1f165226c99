import Foundation

@testable import Local

/// A private configuration directory for one test, and ways to look at the files hoopctl writes there.
struct LocalFileFixture {
    let root: URL
    let directory: ConfigDirectory

    init(_ label: String) throws {
        self.root = try TestEnvironment.scratchDirectory(label)
        self.directory = ConfigDirectory(path: self.root.appendingPathComponent("hoopctl").path)
    }

    /// Permission bits of `path`.
    func mode(_ path: String) -> mode_t {
        var info = stat()
        guard stat(path, &info) == 0 else { return 0 }
        return info.st_mode & 0o777
    }

    /// Names in the configuration directory, to catch leftover temporary files.
    func entries() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: self.directory.path).sorted()
    }

    func remove() {
        try? FileManager.default.removeItem(at: self.root)
    }
}
