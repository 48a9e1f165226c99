package import Foundation
package import HoopCore

/// An authenticated request for a `MountedRoute`.
package struct MountedRequest: Sendable {
    package let method: String
    /// Header names in lower case; repeated headers joined with ", ".
    package let headers: [String: String]
    package let body: Data
    /// Who sent it, as the broker verified the bearer token.
    package let caller: Principal
    /// The token itself, for the route to act as the caller through the broker's API.
    package let bearer: String
    package let loopback: BrokerLoopback
}
