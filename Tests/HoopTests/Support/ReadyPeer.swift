import Foundation

/// Starts one of the Python peers of `testing/` that bind `--port 0` themselves and print `READY <port>` once they
/// listen (the JSON API, the Kubernetes API stand-in): no port is picked before the peer binds it, so none can be
/// taken in between.
enum ReadyPeer {
    static func start(_ name: String, script: String, _ arguments: [String]) async throws -> (ChildProcess, Int) {
        let path = TestEnvironment.repositoryRoot.appendingPathComponent(script).path
        let peer = try ChildProcess(
            name, executable: "/usr/bin/env", arguments: ["python3", path, "--port", "0"] + arguments)
        do {
            let ready = try await peer.waitForOutput("READY ")
            guard let port = ready.firstMatch(of: /READY (\d+)/).flatMap({ Int($0.1) }) else {
                throw PeerError("\(name) did not say its port: \(ready)")
            }
            return (peer, port)
        } catch {
            peer.signal(SIGKILL)
            throw error
        }
    }
}
