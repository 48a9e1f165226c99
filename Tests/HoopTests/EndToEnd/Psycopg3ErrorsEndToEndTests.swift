import Foundation
import HoopCore
import Testing

/// psycopg 3 on its error paths (`testing/postgres-clients/psycopg3_errors.py`), direct and through the broker:
/// pipeline mode with executemany where a row violates the primary key, Syncs that separate a failing group from
/// the ones around it, and COPY FROM STDIN whose producer raises mid-stream (psycopg sends CopyFail) or whose data
/// the server rejects. The application must see the same exceptions, SQLSTATEs and messages, the same transaction
/// state, and find the same rows afterwards.
@Suite("End to end: psycopg 3 error paths direct and through the broker", .serialized)
struct Psycopg3ErrorsEndToEndTests {
    static let script = TestEnvironment.repositoryRoot.appendingPathComponent(
        "testing/postgres-clients/psycopg3_errors.py"
    ).path

    /// Every case's report, by case name.
    static func run(port: Int, user: String, password: String) async throws -> [String: JSONValue] {
        let result = try await ChildProcess.run(
            "/usr/bin/env", ["python3", script, "127.0.0.1", String(port), user, password, "testdb"],
            timeout: .seconds(300))
        guard result.status == 0 else {
            throw PeerError("psycopg3_errors.py exited \(result.status):\n\(result.stdout)\n\(result.stderr)")
        }
        var reports: [String: JSONValue] = [:]
        for line in result.stdout.split(separator: "\n") {
            let report = try JSONDecoder().decode(JSONValue.self, from: Data(line.utf8))
            guard let name = report["case"]?.stringValue else { throw PeerError("a report without a case: \(line)") }
            reports[name] = report
        }
        return reports
    }

    @Test("executemany in a pipeline and COPY with CopyFail fail the same way through the broker as direct")
    func sameFailures() async throws {
        try await PostgresErrorRecoveryEndToEndTests.withSides { sides, _, _ in
            let direct = try await Self.run(port: sides.pg.port, user: "hoop_scram", password: PostgresServer.password)
            let brokered = try await Self.run(port: sides.brokerPort, user: "hoop", password: sides.brokerPassword)

            // The direct run is the reference; it must show the failures the comparison is about.
            #expect(direct.count == 9, "\(direct.keys.sorted())")
            #expect(direct["pipeline_executemany"]?["raised"]?["sqlstate"] == "23505")
            #expect(direct["pipeline_executemany"]?["rows"] == [])
            #expect(direct["pipeline_executemany_in_transaction"]?["status"] == "INERROR")
            #expect(direct["pipeline_syncs"]?["first_error"]?["sqlstate"] == "23505")
            #expect(direct["pipeline_syncs"]?["rows"] == [["items", 10, "first"], ["items", 13, "third"]])
            #expect(direct["copy_producer_raises"]?["raised"]?["class"] == "ProducerFailed")
            #expect(direct["copy_producer_raises"]?["next"]?["error"]?["sqlstate"] == "25P02")
            #expect(direct["copy_producer_raises_autocommit"]?["next"]?["result"] == 1)
            #expect(direct["copy_rejected_by_server"]?["raised"]?["sqlstate"] == "22P02")
            if case .array(let loaded)? = direct["copy_succeeds"]?["rows"] {
                #expect(loaded.count == 3)
            } else {
                Issue.record("copy_succeeds reported no rows: \(String(describing: direct["copy_succeeds"]))")
            }

            for name in direct.keys.sorted() {
                let shown = [direct[name], brokered[name]].map { $0.map(String.init(describing:)) ?? "none" }
                #expect(brokered[name] == direct[name], "\(name):\ndirect:   \(shown[0])\nbrokered: \(shown[1])")
            }
        }
    }
}
