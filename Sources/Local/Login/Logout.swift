/// `hoopctl logout`: forgets the cached token for a broker and, if asked, its pinned certificate.
package enum Logout {
    /// What was removed.
    package struct Result: Sendable, Equatable, Encodable {
        package var broker: String
        package var removedToken: Bool
        package var forgotBroker: Bool

        enum CodingKeys: String, CodingKey {
            case broker
            case removedToken = "removed_token"
            case forgotBroker = "forgot_broker"
        }
    }

    package static func perform(
        _ configuration: ClientConfiguration,
        forgetBroker: Bool
    ) throws(LocalError) -> Result {
        let directory = configuration.directory
        let removedToken = try TokenCache(directory: directory).remove(for: configuration.endpoint)
        var forgotBroker = false
        if forgetBroker {
            forgotBroker = try KnownBrokers(directory: directory).forget(configuration.endpoint)
        }
        return Result(broker: configuration.endpoint.url, removedToken: removedToken, forgotBroker: forgotBroker)
    }
}
