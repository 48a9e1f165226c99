import Foundation
import Testing

@testable import Local

@Suite("OIDC helpers")
struct OIDCHelpersTests {
    @Test("form encoding escapes all but unreserved characters")
    func formEncoding() {
        #expect(FormEncoding.escape("a-Z_0.9~") == "a-Z_0.9~")
        #expect(FormEncoding.escape("a b+c/d:é") == "a%20b%2Bc%2Fd%3A%C3%A9")
        #expect(
            FormEncoding.encode([("scope", "openid groups"), ("client_id", "cli")])
                == "scope=openid%20groups&client_id=cli"
        )
    }

    @Test("plain http is accepted only for loopback providers")
    func issuerScheme() throws {
        for url in [
            "https://idp.example.com", "http://127.0.0.1:9400", "http://127.1.2.3", "http://localhost:1",
            "http://[::1]:9400/realms/x",
        ] {
            #expect(throws: Never.self) { try IdentityProviderURL.validate(url, role: "issuer") }
        }
        for url in ["http://idp.example.com", "http://10.0.0.1", "http://127.0.0.1.evil.com", "ftp://127.0.0.1", "idp"]
        {
            #expect {
                try IdentityProviderURL.validate(url, role: "issuer")
            } throws: { error in
                (error as? LocalError)?.kind == .identityProvider
            }
        }
    }

    @Test("the expiry of a JWT comes from its exp claim; other tokens have none")
    func jwtExpiry() {
        let payload = Data(#"{"sub":"a","exp":1700000000}"#.utf8).base64EncodedString()
            .replacingOccurrences(of: "=", with: "")
        #expect(
            JWTClaims.expiry(of: "eyJhbGciOiJub25lIn0.\(payload).sig") == Date(timeIntervalSince1970: 1_700_000_000)
        )
        #expect(JWTClaims.expiry(of: "opaque-token") == nil)
        #expect(JWTClaims.expiry(of: "a.!!!.c") == nil)
    }

    @Test("expires_in wins over the token's own claim")
    func tokenResponseExpiry() {
        let received = Date(timeIntervalSince1970: 1_000)
        let response = TokenResponse(accessToken: "opaque", tokenType: "Bearer", expiresIn: 300, refreshToken: nil)
        #expect(response.expiry(receivedAt: received) == Date(timeIntervalSince1970: 1_300))
        let unknown = TokenResponse(accessToken: "opaque", tokenType: nil, expiresIn: nil, refreshToken: nil)
        #expect(unknown.expiry(receivedAt: received) == nil)
    }
}
