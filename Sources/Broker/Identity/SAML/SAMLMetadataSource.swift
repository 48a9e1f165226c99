import AsyncHTTPClient
import Foundation
import HoopCore
import Logging
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import SAML

/// One SAML provider's metadata: the IdP's entity id, where to send people, and the only certificates whose
/// signatures count. A file is read at each refresh; a URL is fetched like issuer keys are (`IdentityFetchPolicy`:
/// https, no redirects). Metadata is refreshed after `metadataTTL`; when a refresh fails the copy in hand stays in
/// use for at most another TTL, then logins through the provider fail closed with the fetch's reason.
actor SAMLMetadataSource {
    let config: SAMLProviderConfig
    private let httpClient: HTTPClient
    private let logger: Logger
    private var current: (provider: SAMLIdentityProvider, fetchedAt: Date)?

    /// Metadata larger than this is refused: no real IdP's is close.
    static let maximumSize = 1 << 20

    init(config: SAMLProviderConfig, httpClient: HTTPClient = IdentityFetchPolicy.client, logger: Logger) {
        self.config = config
        self.httpClient = httpClient
        self.logger = logger
    }

    /// The entity id of the metadata in hand, if any has been read.
    var loadedEntityID: String? { current?.provider.entityID }

    func identityProvider(now: Date = Date()) async throws(BrokerError) -> SAMLIdentityProvider {
        if let current, now.timeIntervalSince(current.fetchedAt) < config.metadataTTL {
            return current.provider
        }
        do {
            let provider = try SAMLMetadata.parse(try await read(), entityID: config.identityProviderEntityID)
            current = (provider, now)
            return provider
        } catch {
            let reason = "\(error)"
            if let current, now.timeIntervalSince(current.fetchedAt) < 2 * config.metadataTTL {
                logger.warning(
                    "SAML metadata refresh failed; using the copy in hand",
                    metadata: ["provider": "\(config.name)", "error": "\(reason)"])
                return current.provider
            }
            throw BrokerError(
                .unavailable, code: "saml_metadata_unavailable",
                message: "the metadata of SAML provider \(config.name) cannot be used: \(reason)",
                hint: "ask the broker's operator to check identity.saml \(config.name)'s metadata")
        }
    }

    private func read() async throws -> Data {
        switch config.metadata {
        case .file(let url):
            let data = try Data(contentsOf: url)
            guard data.count <= Self.maximumSize else { throw MetadataFetchError("\(url.path) is over 1 MiB") }
            return data
        case .url(let url):
            if let problem = IdentityFetchPolicy.problem(with: url.absoluteString) {
                throw MetadataFetchError(problem)
            }
            let response = try await httpClient.execute(
                HTTPClientRequest(url: url.absoluteString), timeout: .seconds(10))
            guard response.status == .ok else {
                throw MetadataFetchError("\(url.absoluteString) answered HTTP \(response.status.code)")
            }
            return Data(buffer: try await response.body.collect(upTo: Self.maximumSize))
        }
    }
}

/// Why metadata could not be read.
private struct MetadataFetchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
