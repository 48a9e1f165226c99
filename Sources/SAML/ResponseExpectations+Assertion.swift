import Foundation

extension ResponseExpectations {
    /// Reads the Assertion after checking everything SAML's Web Browser SSO profile asks of it: issuer, a bearer
    /// confirmation for our ACS URL and request, the validity window, our entity id in every AudienceRestriction, an
    /// AuthnStatement, and nothing encrypted.
    func readAssertion(_ assertion: XMLElementNode) throws(SAMLRejection) -> SAMLAssertion {
        try checkVersion(of: assertion)
        guard let assertionID = assertion.attribute(.id) else { throw .missingID(assertion.localName) }
        try checkIssuer(try assertion.required(.issuer))
        let subject = try assertion.required(.subject)
        if try subject.single(.encryptedID) != nil { throw .encryptedElement("EncryptedID") }
        let nameIDElement = try subject.required(.nameID)
        let nameID = try nameIDElement.text()
        guard !nameID.isEmpty else { throw .malformedElement("empty NameID") }
        let confirmedUntil = try checkBearerConfirmation(in: subject)
        let conditionsUntil = try checkConditions(try assertion.required(.conditions))
        let sessionIndex = try checkAuthnStatement(in: assertion)
        return SAMLAssertion(
            issuer: idp.entityID, assertionID: assertionID, nameID: nameID,
            nameIDFormat: nameIDElement.attribute(.format), attributes: try attributes(of: assertion),
            notOnOrAfter: min(confirmedUntil, conditionsUntil ?? confirmedUntil), sessionIndex: sessionIndex)
    }

    /// At least one bearer SubjectConfirmation must hold; if none does, the first one's failure is the reason.
    private func checkBearerConfirmation(in subject: XMLElementNode) throws(SAMLRejection) -> Date {
        let bearers = subject.children(.subjectConfirmation).filter {
            $0.attribute(.method) == SAMLConstant.bearer
        }
        var firstFailure: SAMLRejection?
        for bearer in bearers {
            do {
                return try checkConfirmationData(try bearer.required(.subjectConfirmationData))
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        throw firstFailure ?? .subjectConfirmationNotBearer
    }

    private func checkConfirmationData(_ data: XMLElementNode) throws(SAMLRejection) -> Date {
        let recipient = data.attribute(.recipient)
        guard recipient == acsURL else { throw .recipientMismatch(recipient) }
        try checkInResponseTo(of: data)
        try window.checkNotBefore(data.attribute(.notBefore))
        guard let notOnOrAfter = data.attribute(.notOnOrAfter) else {
            throw .missingElement("NotOnOrAfter on SubjectConfirmationData")
        }
        return try window.checkNotOnOrAfter(notOnOrAfter)
    }

    private func checkConditions(_ conditions: XMLElementNode) throws(SAMLRejection) -> Date? {
        try window.checkNotBefore(conditions.attribute(.notBefore))
        let until = try conditions.attribute(.notOnOrAfter).map { (text) throws(SAMLRejection) in
            try window.checkNotOnOrAfter(text)
        }
        let restrictions = conditions.children(.audienceRestriction)
        guard !restrictions.isEmpty else { throw .audienceMismatch([]) }
        for restriction in restrictions {
            var audiences: [String] = []
            for audience in restriction.children(.audience) { audiences.append(try audience.text()) }
            guard audiences.contains(sp.entityID) else { throw .audienceMismatch(audiences) }
        }
        return until
    }

    private func checkAuthnStatement(in assertion: XMLElementNode) throws(SAMLRejection) -> String? {
        let statements = assertion.children(.authnStatement)
        guard let statement = statements.first else { throw .missingElement("AuthnStatement in Assertion") }
        for statement in statements {
            if let sessionEnd = statement.attribute(.sessionNotOnOrAfter) { try window.checkNotOnOrAfter(sessionEnd) }
        }
        return statement.attribute(.sessionIndex)
    }

    /// Attribute values that are text; a value with element content (a complex type) is not something a group or
    /// name can be, so it is left out rather than flattened.
    private func attributes(of assertion: XMLElementNode) throws(SAMLRejection) -> [String: [String]] {
        var attributes: [String: [String]] = [:]
        for statement in assertion.children(.attributeStatement) {
            if !statement.children(.encryptedAttribute).isEmpty { throw .encryptedElement("EncryptedAttribute") }
            for attribute in statement.children(.attribute) {
                guard let name = attribute.attribute(.name) else { throw .malformedElement("Attribute without Name") }
                let values = attribute.children(.attributeValue).compactMap { try? $0.text() }
                attributes[name, default: []] += values
            }
        }
        return attributes
    }
}
