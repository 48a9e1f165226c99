import Foundation
import HoopCore

/// The rule for identity provider URLs (issuer and endpoints): HTTPS, except plain HTTP on the loopback interface,
/// where test and development providers run and nothing crosses the network.
enum IdentityProviderURL {
    /// `text` as a URL, or an error naming `role` ("token endpoint") when it breaks the rule.
    static func validate(_ text: String, role: String) throws(LocalError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else {
            throw LocalError(.identityProvider, "the identity provider's \(role) \"\(text)\" is not a URL")
        }
        switch scheme {
        case "https":
            return url
        case "http" where LoopbackHost.isLoopback(host):
            return url
        default:
            throw LocalError(
                .identityProvider,
                "the identity provider's \(role) \(text) does not use HTTPS",
                hint: "plain http:// is accepted only for loopback addresses (127.0.0.0/8, ::1, localhost)"
            )
        }
    }

}
