import Foundation
import Testing

@testable import Local

@Suite("Trust on first use store")
struct TrustStoreTests {
    /// A self-signed P-256 CA made for these tests with openssl; its fingerprint is what
    /// `openssl x509 -noout -fingerprint -sha256` prints for it.
    static let fixturePEM = """
        -----BEGIN CERTIFICATE-----
        MIIBlTCCATugAwIBAgIUEERGFIAJLBuLPQNNIcrStMdDqxIwCgYIKoZIzj0EAwIw
        HzEdMBsGA1UEAwwUaG9vcCB0ZXN0IGZpeHR1cmUgQ0EwIBcNMjYxMTIxMTgyODE0
        WhgPMjEyNjEwMjgxODI4MTRaMB8xHTAbBgNVBAMMFGhvb3AgdGVzdCBmaXh0dXJl
        IENBMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEitWmE8qd/Gu3rGP/12fp0Wlx
        9Qotgf7fv9aHzFHtBfXPuVP7CmtalOFhQqle8tD1tYf4ShStfImfnZyTLynE/qNT
        MFEwHQYDVR0OBBYEFPjnbxOe3nNfkKja+0N0eNceroohMB8GA1UdIwQYMBaAFPjn
        bxOe3nNfkKja+0N0eNceroohMA8GA1UdEwEB/wQFMAMBAf8wCgYIKoZIzj0EAwID
        SAAwRQIgU6ONFaB1+4YdKI9oxu6HTwvSOv3ZZIdjRaQnSG0KTE8CIQCyj5GfIOS8
        NZobtcXcS8veeu0NJ+UR59JLFhtxLzuXIw==
        -----END CERTIFICATE-----

        """
    static let fixtureFingerprint =
        "B1:27:72:E7:A3:BA:E9:22:90:24:6D:50:AB:0B:40:F0:BB:49:D0:4C:71:AA:AC:4E:08:54:CB:16:22:87:B1:08"

    static var fixtureDER: [UInt8] {
        let base64 = fixturePEM.split(separator: "\n").filter { !$0.hasPrefix("-----") }.joined()
        return Array(Data(base64Encoded: base64)!)
    }

    let endpoint = try! BrokerEndpoint(parsing: "https://127.0.0.1:8443")

    @Test("a pin records the certificate as PEM and its SHA-256 as openssl prints it")
    func pinFormat() {
        let pinned = KnownBroker(certificateDER: Self.fixtureDER, pinnedAt: Date(timeIntervalSince1970: 0))
        #expect(pinned.sha256 == Self.fixtureFingerprint)
        #expect(pinned.certificatePEM == Self.fixturePEM)
    }

    @Test("pins are kept per host:port, 0600, and can be forgotten")
    func rememberAndForget() throws {
        let fixture = try LocalFileFixture("known-brokers")
        defer { fixture.remove() }
        let store = KnownBrokers(directory: fixture.directory)
        let pinned = KnownBroker(certificateDER: Self.fixtureDER, pinnedAt: Date(timeIntervalSince1970: 1_700_000_000))
        #expect(try store.pin(for: self.endpoint) == nil)
        try store.remember(pinned, for: self.endpoint)
        #expect(try store.pin(for: self.endpoint) == pinned)
        #expect(try store.pin(for: BrokerEndpoint(parsing: "https://127.0.0.1:9443")) == nil)
        #expect(fixture.mode(store.file) == 0o600)
        #expect(try fixture.entries() == ["known_brokers.json"])
        #expect(try store.forget(self.endpoint))
        #expect(try !store.forget(self.endpoint))
        #expect(try store.pin(for: self.endpoint) == nil)
    }

    @Test("a known broker is trusted from its pin without contacting it or asking anyone")
    func knownBrokerNeedsNoProbe() async throws {
        let fixture = try LocalFileFixture("tofu-known")
        defer { fixture.remove() }
        let store = KnownBrokers(directory: fixture.directory)
        let pinned = KnownBroker(certificateDER: Self.fixtureDER, pinnedAt: Date(timeIntervalSince1970: 1_700_000_000))
        try store.remember(pinned, for: self.endpoint)
        // Nothing listens on this endpoint: a probe would fail, and the approval must not be asked.
        let firstUse = TrustOnFirstUse(store: store) { _ in
            Issue.record("a pinned broker must not be approved again")
            return false
        }
        let anchor = try await firstUse.anchor(for: self.endpoint)
        #expect(anchor.pinnedBroker == pinned)
    }

    @Test("a CA file must hold PEM certificates")
    func certificateAuthorityFile() throws {
        let fixture = try LocalFileFixture("ca-file")
        defer { fixture.remove() }
        let good = fixture.root.appendingPathComponent("ca.pem").path
        let bad = fixture.root.appendingPathComponent("bad.pem").path
        #expect(FileManager.default.createFile(atPath: good, contents: Data(Self.fixturePEM.utf8)))
        #expect(FileManager.default.createFile(atPath: bad, contents: Data("hello".utf8)))
        #expect(try TrustAnchor.certificateAuthority(file: good).pinnedBroker == nil)
        for path in [bad, fixture.root.appendingPathComponent("missing.pem").path] {
            #expect {
                try TrustAnchor.certificateAuthority(file: path)
            } throws: { error in
                (error as? LocalError)?.kind == .localFile && (error as? LocalError)?.message.contains(path) == true
            }
        }
    }

    @Test("the notice printed when pinning unattended names the fingerprint, the file and the way out")
    func unattendedNotice() {
        let contact = FirstContact(
            endpoint: self.endpoint,
            candidate: KnownBroker(
                certificateDER: Self.fixtureDER,
                pinnedAt: Date(timeIntervalSince1970: 1_700_000_000)
            ),
            validUntil: Date(timeIntervalSince1970: 4_000_000_000),
            storeFile: "/home/u/.config/hoopctl/known_brokers.json"
        )
        let notice = contact.unattendedNotice
        #expect(!notice.contains("\n"))
        #expect(notice.contains(Self.fixtureFingerprint))
        #expect(notice.contains("/home/u/.config/hoopctl/known_brokers.json"))
        #expect(notice.contains("--ca") && notice.contains("HOOP_CA"))
    }
}
