import Foundation
import HoopCore
import Testing

@testable import Broker

/// `identity: - saml: {...}`: what a correct entry gives, and each mistake an operator could make, refused with the
/// key's path and a message that says what to write instead.
@Suite("SAML provider configuration")
struct SAMLConfigTests {
    let base = URL(fileURLWithPath: "/etc/hoop", isDirectory: true)

    @Test("a SAML provider beside an OIDC issuer, with its defaults")
    func loads() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                identity:
                  - issuer: https://oidc.example
                    audience: hoop
                  - saml:
                      name: corp
                      metadata_file: idp-metadata.xml
                      entity_id: https://broker.example/saml
                      acs_url: https://broker.example:8443/saml/acs
                      groups_attribute: memberOf
                      token_lifetime: 2h
                """,
            relativeTo: base)
        #expect(config.identity.map(\.issuer) == ["https://oidc.example"])
        let saml = try #require(config.saml.first)
        #expect(saml.name == "corp")
        #expect(saml.metadata == .file(URL(fileURLWithPath: "/etc/hoop/idp-metadata.xml")))
        #expect(saml.entityID == "https://broker.example/saml")
        #expect(saml.assertionConsumerServiceURL.absoluteString == "https://broker.example:8443/saml/acs")
        #expect(saml.groupsAttribute == "memberOf")
        #expect(saml.emailAttribute == "email")
        #expect(saml.tokenLifetime == 7200)
        #expect(saml.clockSkew == SAMLProviderConfig.defaultClockSkew)
    }

    @Test("a broker may trust SAML providers only")
    func samlOnly() throws {
        let config = try ConfigLoader.parse(
            yaml: """
                identity:
                  - saml: {metadata_url: "https://idp.example/metadata", entity_id: hoop, \
                acs_url: "https://b.example/saml/acs"}
                """,
            relativeTo: base)
        #expect(config.identity.isEmpty)
        #expect(config.saml.map(\.name) == ["saml"])
        #expect(config.saml.first?.metadata == .url(URL(string: "https://idp.example/metadata")!))
    }

    static let acs = "acs_url: https://b.example/saml/acs"

    @Test(
        "mistakes are refused with their path",
        arguments: [
            ("identity: [{saml: {entity_id: e, \(acs)}}]", "identity[0].saml", "needs metadata_file or metadata_url"),
            (
                "identity: [{saml: {metadata_file: m, metadata_url: 'https://i/m', entity_id: e, \(acs)}}]",
                "identity[0].saml", "not both"
            ),
            (
                "identity: [{saml: {metadata_url: 'http://idp.example/m', entity_id: e, \(acs)}}]",
                "identity[0].saml.metadata_url", "https"
            ),
            ("identity: [{saml: {metadata_file: m, \(acs)}}]", "identity[0].saml.entity_id", "is required"),
            ("identity: [{saml: {metadata_file: m, entity_id: e}}]", "identity[0].saml.acs_url", "is required"),
            (
                "identity: [{saml: {metadata_file: m, entity_id: e, acs_url: 'https://b.example/other'}}]",
                "identity[0].saml.acs_url", "must end in /saml/acs"
            ),
            (
                "identity: [{saml: {metadata_file: m, entity_id: e, \(acs), token_lifetime: 48h}}]",
                "identity[0].saml.token_lifetime", "between 1m and 12h"
            ),
            (
                "identity: [{saml: {metadata_file: m, entity_id: e, \(acs), clock_skew: 1h}}]",
                "identity[0].saml.clock_skew", "between 0s and 10m"
            ),
            (
                "identity: [{saml: {metadata_file: m, entity_id: e, \(acs), group_attribute: g}}]",
                "identity[0].saml.group_attribute", "unknown key"
            ),
            (
                "identity: [{saml: {metadata_file: m, entity_id: e, \(acs)}, issuer: 'https://i.example'}]",
                "identity[0].issuer", "unknown key"
            ),
            (
                "identity: [{saml: {metadata_file: m, entity_id: e, \(acs), metadata_ttl: 30s}}]",
                "identity[0].saml.metadata_ttl", "between 1m and 7d"
            ),
            (
                "identity: [{saml: {metadata_file: m, entity_id: e, \(acs), idp_entity_id: x}}, {saml: {name: b, "
                    + "metadata_file: n, entity_id: f, \(acs), idp_entity_id: x}}]",
                "identity", "two SAML providers pin the IdP x"
            ),
            (
                "identity: [{issuer: 'https://i.example', audience: hoop, web_client_id: hoop}]",
                "identity[0].web_client_id", "must differ from audience"
            ),
            (
                "identity: [{saml: {metadata_file: m, entity_id: e, \(acs)}}, {saml: {metadata_file: n, "
                    + "entity_id: f, \(acs)}}]",
                "identity", "used twice"
            ),
        ]
    )
    func rejected(yaml: String, path: String, fragment: String) {
        #expect {
            try ConfigLoader.parse(yaml: yaml, relativeTo: base)
        } throws: { error in
            guard let error = error as? ConfigError else { return false }
            return error.path == path && error.message.contains(fragment)
        }
    }
}
