import Foundation

/// Starts a throwaway peer with one of `testing/peers/*.sh` (`start DIR PORT`, `stop DIR`) in its own scratch
/// directory on a free loopback port, runs `body`, and stops and removes it whether the body returned or threw.
/// Every peer server of the tests starts this way.
enum PeerScript {
    static func running<Result>(
        _ script: String,
        name: String,
        _ body: (_ port: Int, _ directory: URL) async throws -> Result
    ) async throws -> Result {
        let (directory, port) = try await start(script, name: name)
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            let result = try await body(port, directory)
            _ = try? await ChildProcess.run(script, ["stop", directory.path])
            return result
        } catch {
            _ = try? await ChildProcess.run(script, ["stop", directory.path])
            throw error
        }
    }

    /// Starts the peer, trying again on a new port and directory when a start fails: a port that was free when it
    /// was picked can be taken by another test's peer before this one binds it. The last failure carries the
    /// script's error and the tail of the peer's own log.
    private static func start(_ script: String, name: String) async throws -> (URL, Int) {
        var failure = ""
        for _ in 0..<3 {
            let directory = try TestEnvironment.scratchDirectory(name)
            let port = try TestEnvironment.freePort()
            let started = try await ChildProcess.run(script, ["start", directory.path, String(port)])
            if started.status == 0 { return (directory, port) }
            let log = (try? String(contentsOf: directory.appendingPathComponent("server.log"), encoding: .utf8)) ?? ""
            failure = started.stderr + log.split(separator: "\n").suffix(5).joined(separator: "\n")
            _ = try? await ChildProcess.run(script, ["stop", directory.path])
            try? FileManager.default.removeItem(at: directory)
        }
        throw PeerError("\(name) did not start: \(failure)")
    }
}
