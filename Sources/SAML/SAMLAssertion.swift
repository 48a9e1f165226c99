package import Foundation

/// What a verified response says about the user, read only from the one Assertion a signature covers.
package struct SAMLAssertion: Sendable, Equatable {
    /// The IdP's entity id (checked equal to the metadata's).
    package let issuer: String
    package let assertionID: String
    /// The whole NameID text, never truncated at a comment.
    package let nameID: String
    package let nameIDFormat: String?
    /// Attribute Name to its text values, in document order (e.g. the groups attribute).
    package let attributes: [String: [String]]
    /// The earliest of the Conditions' and the bearer confirmation's NotOnOrAfter: the assertion is not to be used
    /// after it.
    package let notOnOrAfter: Date
    package let sessionIndex: String?

    package init(
        issuer: String, assertionID: String, nameID: String, nameIDFormat: String?, attributes: [String: [String]],
        notOnOrAfter: Date, sessionIndex: String?
    ) {
        self.issuer = issuer
        self.assertionID = assertionID
        self.nameID = nameID
        self.nameIDFormat = nameIDFormat
        self.attributes = attributes
        self.notOnOrAfter = notOnOrAfter
        self.sessionIndex = sessionIndex
    }
}
