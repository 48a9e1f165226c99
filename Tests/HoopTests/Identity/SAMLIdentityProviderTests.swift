import Foundation
import SAML
import Testing

/// The SAML verifier against a real, independent IdP: pysaml2 reads our AuthnRequest and signs its response with
/// the xmlsec1 binary. Valid logins must pass whatever it signs, and its genuine responses, replayed, answered to
/// another request or tampered with, must not.
@Suite(.timeLimit(.minutes(5))) struct SAMLIdentityProviderTests {
    static let sp = SAMLServiceProvider(
        entityID: "https://broker.example.test/saml",
        assertionConsumerServiceURL: URL(string: "https://broker.example.test/saml/acs")!)

    /// Starts the IdP, registers our SP, and reads the IdP from its metadata as the broker will.
    static func withIdP(_ body: (SAMLTestIdP, SAMLIdentityProvider) async throws -> Void) async throws {
        try await SAMLTestIdP.with { peer in
            try await peer.addServiceProvider(
                entityID: sp.entityID, acsURL: sp.assertionConsumerServiceURL.absoluteString)
            try await body(peer, try SAMLMetadata.parse(try await peer.metadata()))
        }
    }

    static func login(
        _ peer: SAMLTestIdP, _ idp: SAMLIdentityProvider, username: String = "alice", password: String? = nil
    ) async throws -> (SAMLAuthnRequest, SAMLTestIdP.Login) {
        let request = SAMLAuthnRequest(sp: sp, idp: idp, now: Date())
        let login = try await peer.login(
            redirectURL: request.redirectURL(relayState: "login-42"), username: username, password: password)
        return (request, login)
    }

    @Test func theMetadataDescribesTheIdP() async throws {
        try await Self.withIdP { peer, idp in
            #expect(idp.entityID == peer.entityID)
            #expect(idp.singleSignOnURL.absoluteString == peer.baseURL + "/sso/redirect")
            #expect(idp.signingCertificates.count == 1)
        }
    }

    @Test func aLoginThroughTheRealIdPIsVerifiedWhateverItSigns() async throws {
        try await Self.withIdP { peer, idp in
            try await peer.addUser("carol", password: "carol-pw", groups: ["ops", "sre"], email: "carol@example.test")
            let verifier = SAMLResponseVerifier(sp: Self.sp, idp: idp, replayCache: SAMLReplayCache())
            for signing in [SAMLTestIdP.Signing.response, .assertion, .both] {
                try await peer.sign(signing)
                let (request, login) = try await Self.login(peer, idp, username: "carol", password: "carol-pw")
                #expect(login.acsURL == Self.sp.assertionConsumerServiceURL.absoluteString)
                #expect(login.relayState == "login-42")
                #expect(login.inResponseTo == request.id)
                let assertion = try verifier.verify(
                    base64Response: login.samlResponse, expectedRequestID: request.id, now: Date())
                #expect(assertion.nameID == "carol", "signing \(signing)")
                #expect(assertion.issuer == peer.entityID)
                #expect(assertion.attributes["groups"] == ["ops", "sre"])
                #expect(assertion.attributes["urn:oid:1.2.840.113549.1.9.1.1"] == ["carol@example.test"])
                #expect(assertion.notOnOrAfter > Date())
            }
        }
    }

    @Test func anUnsolicitedResponseIsVerifiedOnlyWithoutAnExpectedRequest() async throws {
        try await Self.withIdP { peer, idp in
            let response = try await peer.unsolicitedResponse(spEntityID: Self.sp.entityID, username: "bob")
            let verifier = SAMLResponseVerifier(sp: Self.sp, idp: idp, replayCache: SAMLReplayCache())
            #expect(throws: SAMLRejection.inResponseToMismatch(expected: "_mine", found: nil)) {
                try verifier.verify(base64Response: response, expectedRequestID: "_mine", now: Date())
            }
            let assertion = try verifier.verify(base64Response: response, expectedRequestID: nil, now: Date())
            #expect(assertion.attributes["groups"] == ["developers"])
        }
    }

    @Test func aGenuineResponseReplayedOrAnsweringAnotherRequestIsRefused() async throws {
        try await Self.withIdP { peer, idp in
            let verifier = SAMLResponseVerifier(sp: Self.sp, idp: idp, replayCache: SAMLReplayCache())
            let (request, login) = try await Self.login(peer, idp)
            let other = SAMLAuthnRequest(sp: Self.sp, idp: idp, now: Date())
            #expect(throws: SAMLRejection.inResponseToMismatch(expected: other.id, found: request.id)) {
                try verifier.verify(base64Response: login.samlResponse, expectedRequestID: other.id, now: Date())
            }
            _ = try verifier.verify(base64Response: login.samlResponse, expectedRequestID: request.id, now: Date())
            let rejection = #expect(throws: SAMLRejection.self) {
                try verifier.verify(base64Response: login.samlResponse, expectedRequestID: request.id, now: Date())
            }
            #expect(rejection?.code == "replayed")
        }
    }

    @Test func aGenuineResponseForAnotherServiceProviderIsRefused() async throws {
        try await Self.withIdP { peer, idp in
            let (request, login) = try await Self.login(peer, idp)
            let elsewhere = SAMLServiceProvider(
                entityID: "https://other.example.test/saml",
                assertionConsumerServiceURL: Self.sp.assertionConsumerServiceURL)
            let verifier = SAMLResponseVerifier(sp: elsewhere, idp: idp, replayCache: SAMLReplayCache())
            #expect(throws: SAMLRejection.audienceMismatch([Self.sp.entityID])) {
                try verifier.verify(base64Response: login.samlResponse, expectedRequestID: request.id, now: Date())
            }
        }
    }

    @Test func aTamperedOrWrappedGenuineResponseIsRefused() async throws {
        try await Self.withIdP { peer, idp in
            try await peer.sign(.assertion)
            let (request, login) = try await Self.login(peer, idp)
            let xml = String(decoding: Data(base64Encoded: login.samlResponse)!, as: UTF8.self)
            let verifier = SAMLResponseVerifier(sp: Self.sp, idp: idp, replayCache: SAMLReplayCache())
            func verify(_ document: String) throws(SAMLRejection) {
                _ = try verifier.verify(
                    base64Response: Data(document.utf8).base64EncodedString(), expectedRequestID: request.id,
                    now: Date())
            }
            let tampered = xml.replacingOccurrences(of: ">alice<", with: ">bob<")
            #expect(tampered != xml)
            #expect(throws: SAMLRejection.signatureInvalid("Assertion")) { try verify(tampered) }
            // XSW: the signed Assertion kept inside Extensions, an unsigned copy for bob where the reader looks.
            let assertion = try #require(xml.firstMatch(of: /<ns1:Assertion .*<\/ns1:Assertion>/.dotMatchesNewlines()))
                .0
            let forged = assertion.replacingOccurrences(of: ">alice<", with: ">bob<")
                .replacing(/<ns2:Signature .*<\/ns2:Signature>/.dotMatchesNewlines(), with: "")
            let wrapped = xml.replacingOccurrences(of: assertion, with: forged).replacingOccurrences(
                of: "<ns0:Status>", with: "<ns0:Extensions>\(assertion)</ns0:Extensions><ns0:Status>")
            #expect(throws: SAMLRejection.assertionCount(2)) { try verify(wrapped) }
            let unsigned = xml.replacingOccurrences(of: assertion, with: forged)
            #expect(throws: SAMLRejection.unsigned) { try verify(unsigned) }
        }
    }
}
