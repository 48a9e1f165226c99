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
        let directory = try TestEnvironment.scratchDirectory(name)
        defer { try? FileManager.default.removeItem(at: directory) }
        let port = try TestEnvironment.freePort()
        let started = try await ChildProcess.run(script, ["start", directory.path, String(port)])
        guard started.status == 0 else {
            throw PeerError("\(name) did not start: \(started.stderr)")
        }
        do {
            let result = try await body(port, directory)
            _ = try? await ChildProcess.run(script, ["stop", directory.path])
            return result
        } catch {
            _ = try? await ChildProcess.run(script, ["stop", directory.path])
            throw error
        }
    }
}
