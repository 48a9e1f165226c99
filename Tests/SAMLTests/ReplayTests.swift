import Foundation
import Testing

@testable import SAML

/// A bearer assertion logs in once: captured and posted again (by whoever saw it), it is refused until it expires.
@Suite struct ReplayTests {
    @Test func theSameAssertionPostedTwiceIsRefusedTheSecondTime() throws {
        let verifier = TestFederation.verifier()
        let xml = try TestFederation.signed(ResponseTemplate())
        try TestFederation.verify(xml, verifier: verifier)
        #expect(throws: SAMLRejection.replayed("_assertion1")) {
            try TestFederation.verify(xml, verifier: verifier, at: TestFederation.now + 10)
        }
    }

    @Test func aRefusedResponseDoesNotUseUpItsAssertionID() throws {
        let verifier = TestFederation.verifier()
        let xml = try TestFederation.signed(ResponseTemplate())
        #expect(throws: SAMLRejection.inResponseToMismatch(expected: "_other", found: TestFederation.requestID)) {
            try TestFederation.verify(xml, verifier: verifier, requestID: "_other")
        }
        #expect(try TestFederation.verify(xml, verifier: verifier).assertionID == "_assertion1")
    }

    @Test func theCacheForgetsAnIDOnlyAfterItsExpiry() throws {
        let cache = SAMLReplayCache(capacity: 2)
        let now = TestFederation.now
        try cache.remember("_a", until: now + 60, now: now)
        #expect(throws: SAMLRejection.replayed("_a")) { try cache.remember("_a", until: now + 60, now: now + 59) }
        try cache.remember("_a", until: now + 200, now: now + 61)
    }

    @Test func aFullCacheRefusesRatherThanForgets() throws {
        let cache = SAMLReplayCache(capacity: 2)
        let now = TestFederation.now
        try cache.remember("_a", until: now + 60, now: now)
        try cache.remember("_b", until: now + 120, now: now)
        #expect(throws: SAMLRejection.replayCacheFull) { try cache.remember("_c", until: now + 60, now: now + 30) }
        #expect(throws: SAMLRejection.replayed("_a")) { try cache.remember("_a", until: now + 60, now: now + 30) }
        try cache.remember("_c", until: now + 180, now: now + 90)
    }
}
