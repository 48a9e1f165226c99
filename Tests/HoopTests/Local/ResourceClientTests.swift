import Foundation
import HoopCore
import Testing

@testable import Local

@Suite("Client: resource adapters")
struct ResourceClientTests {
    @Test("resource types decode whatever the broker sends, so a newer broker's list still reads")
    func tolerantDecoding() throws {
        let json =
            Data(#"[{"name":"a","type":"postgres","max_session_seconds":60},"#.utf8)
            + Data(#"{"name":"b","type":"quantum-db","max_session_seconds":60}]"#.utf8)
        let resources = try JSONDecoder().decode([ResourceInfo].self, from: json)
        #expect(resources.map(\.type) == [.postgres, ResourceType(rawValue: "quantum-db")])
        let encoded = try JSONEncoder().encode(resources[1])
        #expect(String(decoding: encoded, as: UTF8.self).contains(#""type":"quantum-db""#))
    }

    @Test("a kind this client does not know is refused with what it knows and what to do")
    func unknownKind() {
        do {
            _ = try ResourceClients.adapter(for: ResourceType(rawValue: "quantum-db"))
            Issue.record("an unknown kind must be refused")
        } catch {
            #expect(error.kind == .invalidInput)
            #expect(error.message.contains("cannot use quantum-db resources"))
            for known in ["tcp", "postgres", "ssh"] { #expect(error.message.contains(known)) }
            #expect(error.hint?.contains("newer hoopctl") == true)
        }
    }

    @Test("every kind has exactly one adapter, and exec runs what its protocol carries")
    func adapters() throws {
        let types = ResourceClients.all.map(\.type)
        #expect(Set(types).count == types.count)
        #expect(try ResourceClients.adapter(for: .tcp).exec == nil)
        guard case .statements = try ResourceClients.adapter(for: .postgres).exec else {
            Issue.record("postgres exec runs statements")
            return
        }
        guard case .command = try ResourceClients.adapter(for: .ssh).exec else {
            Issue.record("ssh exec runs a command")
            return
        }
    }

    @Test("the postgres adapter builds a URI with the escaped session login and prints it")
    func postgresDetails() throws {
        let session = SessionInfo(
            id: "ses_1", resource: "pg", resourceType: .postgres, subject: "s", email: nil, reason: nil,
            status: .active, createdAt: Date(), expiresAt: Date(), endedAt: nil, connections: 0, bytesUp: 0,
            bytesDown: 0)
        let credentials = SessionCredentials(user: "hoop", password: "p/w+1", database: "app db")
        var details = ConnectionDetails(
            session: "ses_1", resource: "pg", host: "127.0.0.1", port: 15432, expiresAt: Date(),
            credentials: credentials)
        let adapter = try ResourceClients.adapter(for: .postgres)
        try adapter.complete(
            &details, granted: SessionGrantResponse(session: session, grant: "g", credentials: credentials))
        #expect(details.uri == "postgresql://hoop:p%2Fw%2B1@127.0.0.1:15432/app%20db?sslmode=disable")
        #expect(adapter.example(details).contains("psql \"\(details.uri ?? "")\""))
        #expect(details.sshOptions == nil)
    }
}
