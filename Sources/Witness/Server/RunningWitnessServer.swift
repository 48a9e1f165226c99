package import Foundation
import ServiceLifecycle

/// A witness started with `WitnessServer.start`, listening until `stop()`.
package final class RunningWitnessServer: Sendable {
    package let port: Int
    /// The submission prefix: `add-checkpoint` is appended to it.
    package let url: URL
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    init(host: String, port: Int, group: ServiceGroup, task: Task<Void, any Error>) {
        self.port = port
        let authority = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        url = URL(string: "http://\(authority)/")!
        self.group = group
        self.task = task
    }

    /// Stops accepting, lets requests in flight finish and returns when the server is down.
    package func stop() async throws {
        await group.triggerGracefulShutdown()
        try await task.value
    }
}
