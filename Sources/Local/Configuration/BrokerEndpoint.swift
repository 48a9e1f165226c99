import Foundation

/// Where the broker listens. API calls and tunnels share this one HTTPS port, so an endpoint is only a host and a
/// port; anything else in the address (path, query, credentials) would be ignored silently, so it is refused.
package struct BrokerEndpoint: Sendable, Hashable, CustomStringConvertible {
    /// Used when neither `--broker` nor `HOOP_BROKER` is given: a broker on the same machine.
    package static let defaultAddress = "https://127.0.0.1:8443"

    /// Lowercased host name or IP address, without IPv6 brackets.
    package let host: String
    package let port: Int

    /// Parses `https://host[:port][/]`. Plain `http` is refused: grants and tokens must not cross the network in
    /// clear text.
    package init(parsing address: String) throws(LocalError) {
        let text = address.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased() else {
            throw .invalidBrokerAddress(address, reason: "it is not a URL")
        }
        guard scheme == "https" else {
            let reason =
                scheme == "http" ? "the broker only speaks HTTPS" : "it has no https:// scheme (read it as \(scheme):)"
            throw .invalidBrokerAddress(address, reason: reason)
        }
        guard var host = components.host, !host.isEmpty else {
            throw .invalidBrokerAddress(address, reason: "it has no host")
        }
        guard components.user == nil, components.password == nil else {
            throw .invalidBrokerAddress(address, reason: "it carries credentials; use `hoopctl login` instead")
        }
        guard components.path.isEmpty || components.path == "/", components.query == nil, components.fragment == nil
        else {
            throw .invalidBrokerAddress(address, reason: "it has a path, query or fragment; give only host and port")
        }
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        let port = components.port ?? 443
        guard (1...65535).contains(port) else {
            throw .invalidBrokerAddress(address, reason: "port \(port) is out of range")
        }
        self.host = host.lowercased()
        self.port = port
    }

    /// The endpoint named by `--broker`, else `HOOP_BROKER`, else the local default.
    package static func resolve(flag: String?, environment: [String: String]) throws(LocalError) -> BrokerEndpoint {
        let address = flag ?? environment["HOOP_BROKER"].flatMap { $0.isEmpty ? nil : $0 } ?? Self.defaultAddress
        return try BrokerEndpoint(parsing: address)
    }

    /// `host:port`, with brackets around IPv6 addresses: the key under which the broker's certificate is pinned and
    /// the value of the HTTP `Host` header.
    package var authority: String {
        self.isIPv6 ? "[\(self.host)]:\(self.port)" : "\(self.host):\(self.port)"
    }

    /// `https://host:port`: the key under which tokens are cached, and the base of API URLs.
    package var url: String { "https://\(self.authority)" }

    package var description: String { self.url }

    /// Whether the host is a literal address. TLS forbids IP addresses in SNI; certificates for them are checked
    /// against their IP subject alternative names instead.
    var isIPAddress: Bool {
        self.isIPv6 || self.host.split(separator: ".").count == 4 && self.host.allSatisfy { $0.isNumber || $0 == "." }
    }

    private var isIPv6: Bool { self.host.contains(":") }
}

extension LocalError {
    static func invalidBrokerAddress(_ address: String, reason: String) -> LocalError {
        LocalError(
            .invalidInput,
            "invalid broker address \"\(address)\": \(reason)",
            hint: "pass --broker https://HOST:PORT or set HOOP_BROKER (default \(BrokerEndpoint.defaultAddress))"
        )
    }
}
