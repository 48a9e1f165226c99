import Foundation
import Testing

@testable import Broker

@Suite("PostgreSQL target authentication")
struct PostgresAuthTests {
    // RFC 7677 §3 test vector.
    static let serverFirst = "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096"

    @Test("SCRAM-SHA-256 reproduces RFC 7677's exchange and verifies the server")
    func rfc7677Vector() throws {
        var client = SCRAMSHA256Client(password: "pencil", user: "user", clientNonce: "rOprNGfwEbeRWgbNEkqO")
        #expect(String(decoding: client.firstMessage(), as: UTF8.self) == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO")
        let final = try client.finalMessage(serverFirst: Array(Self.serverFirst.utf8))
        #expect(
            String(decoding: final, as: UTF8.self)
                == "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                + "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        )
        try client.verify(serverFinal: Array("v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=".utf8))
        #expect(client.isAuthenticated)
    }

    @Test("a server that does not know the password is caught by its signature")
    func forgedServerSignature() throws {
        var client = SCRAMSHA256Client(password: "pencil", user: "user", clientNonce: "rOprNGfwEbeRWgbNEkqO")
        _ = client.firstMessage()
        _ = try client.finalMessage(serverFirst: Array(Self.serverFirst.utf8))
        #expect(throws: SCRAMError.serverSignatureMismatch) {
            try client.verify(serverFinal: Array("v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=".utf8))
        }
    }

    @Test(
        "hostile server-first messages are refused",
        arguments: [
            "r=someoneElsesNonce,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            "r=rOprNGfwEbeRWgbNEkqOX,s=,i=4096",
            "r=rOprNGfwEbeRWgbNEkqOX,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1",
            "r=rOprNGfwEbeRWgbNEkqOX,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=999999999",
            "r=rOprNGfwEbeRWgbNEkqOX,s=W22ZaJ0SNY7soEsUEjb6gQ==",
        ]
    )
    func hostileServerFirst(_ message: String) {
        var client = SCRAMSHA256Client(password: "pencil", clientNonce: "rOprNGfwEbeRWgbNEkqO")
        _ = client.firstMessage()
        #expect(throws: SCRAMError.self) { try client.finalMessage(serverFirst: Array(message.utf8)) }
    }

    @Test("the salted-password cache answers per password, salt and iteration count")
    func scramKeyCache() throws {
        let cache = SCRAMKeyCache()
        let salt = Array("salt-one".utf8)
        let first = try cache.saltedPassword("pencil", salt: salt, iterations: 4096)
        #expect(try cache.saltedPassword("pencil", salt: salt, iterations: 4096) == first)
        #expect(try cache.saltedPassword("pencil", salt: Array("salt-two".utf8), iterations: 4096) != first)
        #expect(try cache.saltedPassword("pencil", salt: salt, iterations: 4097) != first)
        #expect(try cache.saltedPassword("pencils", salt: salt, iterations: 4096) != first)
    }

    @Test("a cleartext-password request is answered only where the connection is encrypted or the resource allows it")
    func cleartextOnlyWhenAllowed() {
        var plain = PostgresTargetLogin(user: "app", password: "held-secret", cleartextAllowed: false)
        guard case .fail(.refused(let why)) = plain.received(.authentication(.cleartextPassword)) else {
            Issue.record("the held password must not be sent in the clear")
            return
        }
        #expect(why.contains("allow_plaintext_password"))
        var allowed = PostgresTargetLogin(user: "app", password: "held-secret", cleartextAllowed: true)
        guard case .send = allowed.received(.authentication(.cleartextPassword)) else {
            Issue.record("an encrypted or explicitly allowed connection gets the password")
            return
        }
    }

    @Test("a target off this host defaults to verify-full (system trust roots); loopback to prefer")
    func targetTLSDefaults() throws {
        let base = URL(fileURLWithPath: "/etc/hoop", isDirectory: true)
        func target(_ address: String, _ extra: String = "") throws -> PostgresTarget? {
            try ConfigLoader.parse(
                yaml: """
                    identity: [{issuer: https://i.example, audience: a}]
                    resources:
                      - {name: pg, type: postgres, address: "\(address)", database: app, username: app,
                         password_env: PG\(extra)}
                    """,
                relativeTo: base, checkSecrets: false
            ).resources.first?.postgres
        }
        #expect(try target("db.internal.example:5432")?.tls == .verifyFull)
        #expect(try target("10.1.2.3:5432")?.tls == .verifyFull)
        #expect(try target("127.0.0.1:5432")?.tls == .prefer)
        #expect(try target("localhost:5432")?.tls == .prefer)
        #expect(try target("db.example:5432", ", tls: disable")?.tls == .disable)
        #expect(try target("db.example:5432")?.caFile == nil)
        #expect(try target("db.example:5432")?.allowPlaintextPassword == false)
        #expect(try target("db.example:5432", ", allow_plaintext_password: true")?.allowPlaintextPassword == true)
    }

    @Test("md5 answers match PostgreSQL's formula")
    func md5() {
        // "md5" + md5(md5("secret" + "alice") + salt), computed independently with Python's hashlib.
        #expect(
            MD5Password.response(user: "alice", password: "secret", salt: [1, 2, 3, 4])
                == "md598a0412b9c31436fc53776e863350083"
        )
    }
}
