import Foundation
import Synchronization

/// A real peer process started by a test: output captured line by line, waited on with timeouts, and stopped (with
/// its process group) when the test is done.
final class ChildProcess: Sendable {
    let name: String
    private let process: Process
    private let output = CapturedOutput()

    init(
        _ name: String,
        executable: String,
        arguments: [String],
        environment: [String: String] = [:],
        directory: URL? = nil,
        stdin: FileHandle? = nil
    ) throws {
        self.name = name
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged.merge(environment) { $1 }
        process.environment = merged
        if let directory { process.currentDirectoryURL = directory }
        process.standardInput = stdin ?? FileHandle.nullDevice
        let stdoutPipe = Pipe()
        let stderrPipe = Pipe()
        process.standardOutput = stdoutPipe
        process.standardError = stderrPipe
        let output = self.output
        stdoutPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.withLock { $0.stdout += String(decoding: data, as: UTF8.self) }
        }
        stderrPipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            output.withLock { $0.stderr += String(decoding: data, as: UTF8.self) }
        }
        try process.run()
    }

    /// A test that fails half-way must not leave servers behind.
    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }

    var stdout: String { output.withLock { $0.stdout } }
    var stderr: String { output.withLock { $0.stderr } }
    var isRunning: Bool { process.isRunning }
    var exitCode: Int32 { process.terminationStatus }
    var pid: Int32 { process.processIdentifier }

    /// Waits until stdout or stderr contains `text`; returns the combined output so far.
    @discardableResult
    func waitForOutput(_ text: String, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let (out, err) = output.withLock { ($0.stdout, $0.stderr) }
            if out.contains(text) || err.contains(text) { return out + err }
            if !process.isRunning {
                try await Task.sleep(for: .milliseconds(100))
                let (out, err) = output.withLock { ($0.stdout, $0.stderr) }
                if out.contains(text) || err.contains(text) { return out + err }
                throw PeerError("\(name) exited (\(process.terminationStatus)) before printing '\(text)':\n\(out)\n\(err)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw PeerError("\(name) did not print '\(text)' within \(timeout):\n\(stdout)\n\(stderr)")
    }

    /// Waits for the process to exit and returns its status.
    @discardableResult
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                throw PeerError("\(name) still running after \(timeout):\n\(stdout)\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(100))  // let the pipes drain
        return process.terminationStatus
    }

    func signal(_ signal: Int32) {
        if process.isRunning { kill(process.processIdentifier, signal) }
    }

    /// SIGTERM, then SIGKILL if it does not stop within `grace`.
    func stop(grace: Duration = .seconds(10)) async {
        signal(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        signal(SIGKILL)
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
