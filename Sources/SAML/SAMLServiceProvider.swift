package import Foundation

/// Our side of the federation: the entity id the IdP addresses its assertions to (their Audience) and the Assertion
/// Consumer Service URL it posts them to (their Destination and Recipient).
package struct SAMLServiceProvider: Sendable, Equatable {
    package let entityID: String
    package let assertionConsumerServiceURL: URL

    package init(entityID: String, assertionConsumerServiceURL: URL) {
        self.entityID = entityID
        self.assertionConsumerServiceURL = assertionConsumerServiceURL
    }
}
