import Foundation

/// The broker's SAML service-provider metadata for one provider, which an operator uploads to the IdP: our entity
/// id, the ACS (HTTP-POST binding) and that assertions must be signed. The broker signs no requests, so the
/// document carries no key.
enum SAMLServiceProviderMetadata {
    static func xml(for config: SAMLProviderConfig) -> String {
        let entityID = MarkupText.escaped(config.entityID)
        let acs = MarkupText.escaped(config.assertionConsumerServiceURL.absoluteString)
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="\(entityID)">
              <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" \
            protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
                <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
                <md:AssertionConsumerService index="0" isDefault="true" \
            Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="\(acs)"/>
              </md:SPSSODescriptor>
            </md:EntityDescriptor>

            """
    }
}
