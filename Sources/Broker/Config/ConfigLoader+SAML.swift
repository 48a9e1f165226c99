import Foundation
import HoopCore

extension ConfigLoader {
    /// `- saml: {name, metadata_file | metadata_url, idp_entity_id, entity_id, acs_url, groups_attribute,
    /// email_attribute, token_lifetime, clock_skew, metadata_ttl}` in the `identity` list.
    static func samlProvider(_ node: inout ConfigNode, base: URL) throws(ConfigError) -> SAMLProviderConfig {
        let name = try node.string("name") ?? "saml"
        guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) else {
            throw ConfigError(path: "\(node.path).name", message: "use letters, digits, '-' or '_' only")
        }
        let metadata: SAMLProviderConfig.MetadataSource
        switch (try node.string("metadata_file"), try node.string("metadata_url")) {
        case (let file?, nil):
            metadata = .file(resolve(file, against: base))
        case (nil, let text?):
            metadata = .url(try secureURL(text, path: "\(node.path).metadata_url"))
        case (nil, nil):
            throw ConfigError(path: node.path, message: "needs metadata_file or metadata_url")
        case (_?, _?):
            throw ConfigError(path: node.path, message: "give metadata_file or metadata_url, not both")
        }
        let entityID = try node.requiredString("entity_id")
        guard let acsText = try node.string("acs_url") else {
            throw ConfigError(
                path: "\(node.path).acs_url",
                message:
                    "is required: the https URL browsers reach the broker's \(SAMLProviderConfig.assertionConsumerPath) by"
            )
        }
        let acs = try secureURL(acsText, path: "\(node.path).acs_url")
        guard acs.path == SAMLProviderConfig.assertionConsumerPath else {
            throw ConfigError(
                path: "\(node.path).acs_url",
                message: "must end in \(SAMLProviderConfig.assertionConsumerPath), where the broker serves it")
        }
        let lifetime = try node.duration("token_lifetime") ?? SAMLProviderConfig.defaultTokenLifetime
        guard lifetime >= 60, lifetime <= SAMLProviderConfig.maximumTokenLifetime else {
            throw ConfigError(path: "\(node.path).token_lifetime", message: "must be between 1m and 12h")
        }
        let skew = try node.duration("clock_skew") ?? SAMLProviderConfig.defaultClockSkew
        guard skew >= 0, skew <= SAMLProviderConfig.maximumClockSkew else {
            throw ConfigError(path: "\(node.path).clock_skew", message: "must be between 0s and 10m")
        }
        let metadataTTL = try node.duration("metadata_ttl") ?? 3_600
        guard metadataTTL >= 60, metadataTTL <= 7 * 86_400 else {
            throw ConfigError(path: "\(node.path).metadata_ttl", message: "must be between 1m and 7d")
        }
        let config = SAMLProviderConfig(
            name: name, metadata: metadata, identityProviderEntityID: try node.string("idp_entity_id"),
            entityID: entityID, assertionConsumerServiceURL: acs,
            groupsAttribute: try node.string("groups_attribute") ?? "groups",
            emailAttribute: try node.string("email_attribute") ?? "email",
            tokenLifetime: lifetime, clockSkew: skew, metadataTTL: metadataTTL)
        try node.rejectUnknownKeys()
        return config
    }

    /// An absolute https URL, or http to a loopback host (tests and a broker behind a local proxy).
    static func secureURL(_ text: String, path: String) throws(ConfigError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme, let host = url.host, !host.isEmpty else {
            throw ConfigError(path: path, message: "expected an absolute URL, got '\(text)'")
        }
        guard scheme == "https" || (scheme == "http" && LoopbackHost.isLoopback(host)) else {
            throw ConfigError(path: path, message: "expected an https URL (http only for loopback hosts)")
        }
        return url
    }
}
