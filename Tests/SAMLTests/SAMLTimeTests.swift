import Foundation
import Testing

@testable import SAML

@Suite struct SAMLTimeTests {
    @Test func readsUTCDateTimesWithAndWithoutFractions() {
        #expect(SAMLTime.parse("2024-05-01T10:00:00Z") == Date(timeIntervalSince1970: 1_714_557_600))
        #expect(SAMLTime.parse("2024-05-01T10:00:00.5Z") == Date(timeIntervalSince1970: 1_714_557_600.5))
        #expect(SAMLTime.format(Date(timeIntervalSince1970: 1_714_557_600)) == "2024-05-01T10:00:00Z")
    }

    @Test func refusesOtherZonesAndGarbage() {
        for text in ["2024-05-01T10:00:00", "2024-05-01T10:00:00+02:00", "2024-13-01T10:00:00Z", "yesterday", ""] {
            #expect(SAMLTime.parse(text) == nil, "\(text)")
        }
    }
}
