import Foundation
import Synchronization

/// A real peer process started by a test: spawned with `posix_spawn` into its own process group with a clean
/// signal mask (the test runner blocks signals its children would otherwise inherit), output captured by reader
/// threads, and reaped by a thread of its own, so exits are seen even when the process leaves children behind.
final class ChildProcess: Sendable {
    let name: String
    let pid: pid_t
    private let output = CapturedOutput()
    private let exit = ExitState()

    init(
        _ name: String,
        executable: String,
        arguments: [String],
        environment: [String: String] = [:],
        stdin: FileHandle? = nil
    ) throws {
        self.name = name
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        var stdoutPipe: [Int32] = [0, 0]
        var stderrPipe: [Int32] = [0, 0]
        guard pipe(&stdoutPipe) == 0, pipe(&stderrPipe) == 0 else { throw PeerError("pipe() failed") }
        let input = stdin?.fileDescriptor ?? open("/dev/null", O_RDONLY)

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, input, 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        for fd in [stdoutPipe[0], stderrPipe[0]] { posix_spawn_file_actions_addclose(&actions, fd) }
        // Nothing else this process has open reaches the child: tests run in parallel, and a child that inherited
        // another test's pipe or socket (NIO's accepted sockets are not close-on-exec) would keep it open, so that
        // test would never see the EOF or the connection's end it waits for.
        Self.closeInheritedDescriptors(&actions)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGCHLD, SIGQUIT] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP)
        )

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = merged.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, executable, &actions, &attributes, argv, envp)
        close(stdoutPipe[1])
        close(stderrPipe[1])
        if stdin == nil { close(input) }
        guard status == 0 else {
            close(stdoutPipe[0])
            close(stderrPipe[0])
            throw PeerError("cannot start \(executable): errno \(status)")
        }
        pid = child
        let output = self.output
        let exit = self.exit
        Self.drain(stdoutPipe[0]) { text in output.withLock { $0.stdout += text } }
        Self.drain(stderrPipe[0]) { text in output.withLock { $0.stderr += text } }
        let spawned = child
        Thread.detachNewThread {
            var code: Int32 = 0
            while waitpid(spawned, &code, 0) == -1 && errno == EINTR {}
            let exited = (code & 0x7f) == 0
            exit.finish(exited ? (code >> 8) & 0xff : 128 + (code & 0x7f))
        }
    }

    private static func drain(_ fd: Int32, _ append: @escaping @Sendable (String) -> Void) {
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: 65_536)
            while true {
                let count = read(fd, &buffer, buffer.count)
                if count > 0 {
                    append(String(decoding: buffer[0..<count], as: UTF8.self))
                } else if count == 0 || errno != EINTR {
                    break
                }
            }
            close(fd)
        }
    }

    /// A test that fails half-way must not leave servers behind.
    deinit {
        if isRunning { kill(-pid, SIGKILL) }
    }

    var stdout: String { output.withLock { $0.stdout } }
    var stderr: String { output.withLock { $0.stderr } }
    var isRunning: Bool { exit.status == nil }
    var exitCode: Int32 { exit.status ?? -1 }

    /// Waits until stdout or stderr contains `text`; returns the combined output so far.
    @discardableResult
    func waitForOutput(_ text: String, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (out, err) = output.withLock { ($0.stdout, $0.stderr) }
            if out.contains(text) || err.contains(text) { return out + err }
            if !isRunning {
                try await Task.sleep(for: .milliseconds(100))
                let (out, err) = output.withLock { ($0.stdout, $0.stderr) }
                if out.contains(text) || err.contains(text) { return out + err }
                throw PeerError("\(name) exited (\(exitCode)) before printing '\(text)':\n\(out)\n\(err)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError("\(name) did not print '\(text)' within \(timeout):\n\(stdout)\n\(stderr)")
    }

    /// Waits for the process to exit and returns its status.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while isRunning {
            if ContinuousClock.now > deadline {
                throw PeerError("\(name) still running after \(timeout):\n\(stdout)\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(50))  // let the reader threads drain the pipes
        return exitCode
    }

    func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// SIGTERM, then SIGKILL to the whole process group if it does not stop within `grace`.
    func stop(grace: Duration = .seconds(10)) async {
        signal(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        if isRunning { kill(-pid, SIGKILL) }
    }

    /// Runs a command to completion and returns (status, stdout, stderr).
    static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String] = [:],
        stdin: FileHandle? = nil,
        timeout: Duration = .seconds(120)
    ) async throws -> (status: Int32, stdout: String, stderr: String) {
        let child = try ChildProcess(
            URL(fileURLWithPath: executable).lastPathComponent,
            executable: executable,
            arguments: arguments,
            environment: environment,
            stdin: stdin
        )
        let status = try await child.waitForExit(timeout: timeout)
        return (status, child.stdout, child.stderr)
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which Swift's Glibc module does not
    /// import: looked up once by name.
    private typealias AddCloseFrom = @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32
    private static let addCloseFrom: AddCloseFrom? = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np").map {
        unsafeBitCast($0, to: AddCloseFrom.self)
    }

    /// Closes every descriptor from 3 up in the child: at once where glibc can, else each one open now.
    private static func closeInheritedDescriptors(_ actions: inout posix_spawn_file_actions_t) {
        if let addCloseFrom {
            _ = addCloseFrom(&actions, 3)
            return
        }
        let open = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        for fd in open.compactMap({ Int32($0) }) where fd > 2 {
            posix_spawn_file_actions_addclose(&actions, fd)
        }
    }
}

/// The exit status once the reaper thread has seen it.
final class ExitState: Sendable {
    private let value = Mutex<Int32?>(nil)

    var status: Int32? { value.withLock { $0 } }

    func finish(_ status: Int32) {
        value.withLock { $0 = status }
    }
}

/// Text a child wrote so far; shared with the pipes' reader callbacks.
final class CapturedOutput: Sendable {
    private let text = Mutex<(stdout: String, stderr: String)>(("", ""))

    func withLock<Result>(_ body: (inout (stdout: String, stderr: String)) -> Result) -> Result {
        text.withLock { body(&$0) }
    }

}

struct PeerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
