import Foundation

/// An HTTP endpoint served on the broker's port by a part of hoopctl the broker library does not link (the MCP
/// gateway's `/mcp`). The broker authenticates every request exactly as it does for its API — a request without a
/// token the broker accepts never reaches the route — and hands it over with the caller and the way back to the
/// broker itself. A route therefore holds no policy: whatever it does, it does as the caller through the API.
package protocol MountedRoute: Sendable {
    /// The path served, e.g. `/mcp`, for GET, POST and DELETE.
    var path: String { get }

    func respond(to request: MountedRequest) async -> MountedResponse

    /// The broker is stopping: end long-lived responses (event streams), which the HTTP server would otherwise
    /// wait for until its shutdown limit.
    func stop() async
}
