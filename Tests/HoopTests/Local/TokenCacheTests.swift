import Foundation
import Testing

@testable import Local

@Suite("Token cache")
struct TokenCacheTests {
    let endpoint = try! BrokerEndpoint(parsing: "https://127.0.0.1:8443")

    func token(_ access: String = "access-1") -> CachedToken {
        CachedToken(
            accessToken: access,
            refreshToken: "refresh-1",
            expiresAt: Date(timeIntervalSince1970: 2_000_000_000),
            issuer: "http://127.0.0.1:9400",
            tokenEndpoint: "http://127.0.0.1:9400/token",
            clientID: "hoopctl",
            obtainedBy: .device,
            scopes: ["openid", "offline_access"],
            audience: "hoop"
        )
    }

    @Test("tokens round-trip, keyed by broker URL")
    func roundTrip() throws {
        let fixture = try LocalFileFixture("tokens")
        defer { fixture.remove() }
        let cache = TokenCache(directory: fixture.directory)
        #expect(try cache.token(for: self.endpoint) == nil)
        try cache.store(self.token(), for: self.endpoint)
        #expect(try cache.token(for: self.endpoint) == self.token())
        let other = try BrokerEndpoint(parsing: "https://127.0.0.1:9443")
        #expect(try cache.token(for: other) == nil)
        #expect(try cache.remove(for: self.endpoint))
        #expect(try !cache.remove(for: self.endpoint))
        #expect(try cache.token(for: self.endpoint) == nil)
    }

    @Test("the file is 0600 in a 0700 directory, and writes leave no temporary file behind")
    func modesAndAtomicity() throws {
        let fixture = try LocalFileFixture("token-modes")
        defer { fixture.remove() }
        let cache = TokenCache(directory: fixture.directory)
        try cache.store(self.token("a"), for: self.endpoint)
        try cache.store(self.token("b"), for: self.endpoint)
        #expect(fixture.mode(fixture.directory.path) == 0o700)
        #expect(fixture.mode(cache.file) == 0o600)
        #expect(try fixture.entries() == ["tokens.json"])
        #expect(try cache.token(for: self.endpoint)?.accessToken == "b")
    }

    @Test("a readable file and a loose directory are tightened on the next write")
    func tightensModes() throws {
        let fixture = try LocalFileFixture("token-tighten")
        defer { fixture.remove() }
        let cache = TokenCache(directory: fixture.directory)
        try FileManager.default.createDirectory(
            atPath: fixture.directory.path,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o755]
        )
        #expect(
            FileManager.default.createFile(
                atPath: cache.file,
                contents: Data(#"{"version": 1, "brokers": {}}"#.utf8),
                attributes: [.posixPermissions: 0o644]
            )
        )
        try cache.store(self.token(), for: self.endpoint)
        #expect(fixture.mode(fixture.directory.path) == 0o700)
        #expect(fixture.mode(cache.file) == 0o600)
    }

    @Test("the file format is stable: snake_case keys under the broker URL")
    func fileFormat() throws {
        let fixture = try LocalFileFixture("token-format")
        defer { fixture.remove() }
        let cache = TokenCache(directory: fixture.directory)
        try cache.store(self.token(), for: self.endpoint)
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cache.file)))
        let root = try #require(json as? [String: Any])
        #expect(root["version"] as? Int == 1)
        let brokers = try #require(root["brokers"] as? [String: Any])
        let entry = try #require(brokers["https://127.0.0.1:8443"] as? [String: Any])
        #expect(entry["access_token"] as? String == "access-1")
        #expect(entry["obtained_by"] as? String == "device")
        #expect(entry["token_endpoint"] as? String == "http://127.0.0.1:9400/token")
        #expect(entry["expires_at"] as? String == "2033-05-18T03:33:20.000Z")
    }

    @Test("a corrupt cache is reported with what to do, not silently replaced")
    func corruptFile() throws {
        let fixture = try LocalFileFixture("token-corrupt")
        defer { fixture.remove() }
        let cache = TokenCache(directory: fixture.directory)
        try FileManager.default.createDirectory(atPath: fixture.directory.path, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: cache.file, contents: Data("not json".utf8)))
        #expect {
            try cache.token(for: self.endpoint)
        } throws: { error in
            (error as? LocalError)?.kind == .localFile && (error as? LocalError)?.hint?.contains("login") == true
        }
    }

    @Test("a token is due for renewal within the margin, never when its expiry is unknown")
    func expiry() {
        let now = Date(timeIntervalSince1970: 1_000)
        var token = self.token()
        token.expiresAt = now.addingTimeInterval(59)
        #expect(token.expires(within: 60, now: now))
        token.expiresAt = now.addingTimeInterval(61)
        #expect(!token.expires(within: 60, now: now))
        token.expiresAt = nil
        #expect(!token.expires(within: 60, now: now))
    }
}
