import Crypto
import Foundation
import FuzzSupport

@testable import Broker
@testable import HoopCore

/// A broker login token signed at start, with a fixed key, for a fixed person and time.
let alice = Principal(issuer: "https://idp.example.com", subject: "alice", email: nil, groups: ["dba"])
let issuedAt = Date(timeIntervalSince1970: 1_700_000_000)
let issuer = blocking {
    await LoginTokenIssuer(key: try! Curve25519.Signing.PrivateKey(rawRepresentation: Data(repeating: 7, count: 32)))
}
let signed = blocking {
    try! await issuer.issue(for: alice, provider: "corp", lifetime: 3600, now: issuedAt).token
}
let signedClaims = try! JWTParts(signed).claims

/// One libFuzzer input: a bearer token, either the text itself (first byte even) or the signed token with the
/// rest of the input as edits (pairs of position and new byte). Checked:
/// - the unverified parts (`JWTParts`) read back the same after their claims are written out again;
/// - the broker's token check accepts only the token it signed, or one whose claims are exactly those: no edit
///   gets a token accepted for another person, provider or lifetime.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzToken(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let token: String
    if input.byte() & 1 == 0 {
        token = input.restText()
    } else {
        var bytes = Array(signed.utf8)
        while !input.isAtEnd {
            let position = Int(input.byte()) << 8 | Int(input.byte())
            bytes[position % bytes.count] = input.byte()
        }
        token = String(decoding: bytes, as: UTF8.self)
    }
    guard let parts = try? JWTParts(token) else { return 0 }
    checkClaimsRoundTrip(parts.claims)
    let accepted = blocking {
        try? await issuer.verify(
            token, header: parts.header, providers: ["corp"], leeway: 0, now: issuedAt.addingTimeInterval(60))
    }
    if let accepted {
        require(accepted == alice, "an edited token was accepted for \(accepted): \(token)")
        require(parts.claims == signedClaims, "an edited token with other claims was accepted: \(token)")
    }
    return 0
}

func checkClaimsRoundTrip(_ claims: [String: ClaimValue]) {
    // A number JSON cannot carry (an overflow read as infinity) is not written; there is nothing to compare.
    guard let payload = try? JSONEncoder().encode(claims) else { return }
    let header = RandomSecret.base64URL(Data(#"{"alg":"none"}"#.utf8))
    guard let reread = try? JWTParts("\(header).\(RandomSecret.base64URL(payload)).") else {
        fatalError("claims \(claims) written out do not read back")
    }
    require(reread.claims == claims, "claims \(claims) read back as \(reread.claims)")
}
