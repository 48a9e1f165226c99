import Foundation

/// Another process holding SQLite's write lock on a database: the `sqlite3` shell inside `BEGIN EXCLUSIVE`, as an
/// operator's forgotten session or a backup tool would. Writers elsewhere get SQLITE_BUSY once their busy timeout
/// runs out; readers of a WAL database go on.
final class DatabaseLock: Sendable {
    let database: URL
    private let shell: ChildProcess
    private let input: FileHandle

    /// Starts the transaction and returns once another connection is refused the write lock.
    init(_ database: URL) async throws {
        self.database = database
        let pipe = Pipe()
        // Only the shell's stdin (a dup) may hold the pipe, or the shell would never see end of input.
        for handle in [pipe.fileHandleForReading, pipe.fileHandleForWriting] {
            _ = fcntl(handle.fileDescriptor, F_SETFD, FD_CLOEXEC)
        }
        shell = try ChildProcess(
            "sqlite3", executable: "/usr/bin/sqlite3", arguments: [database.path], stdin: pipe.fileHandleForReading)
        try pipe.fileHandleForReading.close()
        input = pipe.fileHandleForWriting
        try input.write(contentsOf: Data("BEGIN EXCLUSIVE;\n".utf8))
        for _ in 0..<100 {
            if try await Self.isLocked(database) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerError("sqlite3 did not take the write lock on \(database.path): \(shell.stderr)")
    }

    /// Whether a writer that does not wait is refused right now.
    static func isLocked(_ database: URL) async throws -> Bool {
        let probe = try await ChildProcess.run(
            "/usr/bin/sqlite3", [database.path, "BEGIN IMMEDIATE;", "ROLLBACK;"], timeout: .seconds(10))
        return probe.status != 0 && probe.stderr.contains("database is locked")
    }

    /// Commits the empty transaction and waits for the shell to exit.
    func release() async throws {
        try input.write(contentsOf: Data("COMMIT;\n.quit\n".utf8))
        try input.close()
        let status = try await shell.waitForExit(timeout: .seconds(10))
        guard status == 0 else { throw PeerError("sqlite3 exited \(status): \(shell.stderr)") }
    }
}
