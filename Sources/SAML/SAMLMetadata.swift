package import Foundation

/// Reads an IdP's SAML 2.0 metadata (an EntityDescriptor, or an EntitiesDescriptor holding it) into what the broker
/// trusts. The metadata itself is trusted as configured (a file or URL the operator chose); its own signature, if
/// any, is not checked here. Parsed as strictly as a response: no DTD, no entities, no network.
package enum SAMLMetadata {
    /// `entityID` picks one IdP out of an aggregate; without it the metadata must describe exactly one.
    package static func parse(_ xml: Data, entityID: String? = nil) throws(SAMLRejection) -> SAMLIdentityProvider {
        let tree = try XMLTree.parse(xml)
        let root = tree.root
        let entities: [XMLElementNode]
        if root.isNamed(.entityDescriptor) {
            entities = [root]
        } else if root.isNamed(.entitiesDescriptor) {
            entities = root.descendants(.entityDescriptor)
        } else {
            throw .unexpectedRoot(root.localName)
        }
        let providers = entities.filter { entity in
            (entityID == nil || entity.attribute(.entityID) == entityID)
                && entity.children(.idpDescriptor).contains(where: supportsSAML2)
        }
        guard providers.count == 1, let entity = providers.first, let id = entity.attribute(.entityID), !id.isEmpty
        else { throw .metadataNoIdentityProvider }
        let descriptors = entity.children(.idpDescriptor).filter(supportsSAML2)
        var certificates: [Data] = []
        var redirect: URL?
        for descriptor in descriptors {
            certificates += try signingCertificates(of: descriptor)
            redirect = redirect ?? redirectEndpoint(of: descriptor)
        }
        guard !certificates.isEmpty else { throw .metadataNoSigningCertificate }
        guard let redirect else { throw .metadataNoRedirectEndpoint }
        return SAMLIdentityProvider(entityID: id, singleSignOnURL: redirect, signingCertificates: certificates)
    }

    private static func supportsSAML2(_ descriptor: XMLElementNode) -> Bool {
        (descriptor.attribute(.protocolSupportEnumeration) ?? "").split(separator: " ")
            .contains { $0 == XMLNamespace.samlProtocol.rawValue }
    }

    /// Certificates of KeyDescriptors for signing (a KeyDescriptor without `use` is for both). Each must load as a
    /// key now, so a broken certificate fails at configuration time and not at the first login.
    private static func signingCertificates(of descriptor: XMLElementNode) throws(SAMLRejection) -> [Data] {
        var certificates: [Data] = []
        for keyDescriptor in descriptor.children(.keyDescriptor) {
            let use = keyDescriptor.attribute(.use)
            guard use == nil || use == SAMLConstant.signingUse else { continue }
            for data in keyDescriptor.children(.keyInfo).flatMap({ $0.children(.x509Data) }) {
                for element in data.children(.x509Certificate) {
                    let text = try element.text().filter { !$0.isWhitespace }
                    guard let der = Data(base64Encoded: text) else { throw .invalidCertificate("not base64") }
                    _ = try SigningKey(certificate: der)
                    certificates.append(der)
                }
            }
        }
        return certificates
    }

    private static func redirectEndpoint(of descriptor: XMLElementNode) -> URL? {
        descriptor.children(.singleSignOnService)
            .first { $0.attribute(.binding) == SAMLConstant.redirectBinding }
            .flatMap { $0.attribute(.location) }
            .flatMap { URL(string: $0) }
            .flatMap { ["https", "http"].contains($0.scheme?.lowercased()) ? $0 : nil }
    }
}
