import Foundation
import HoopCore
import Testing

@testable import Broker

/// `hoopctl broker serve` under a supervisor: SIGTERM with a connection open (a statement waiting for approval) must
/// stop the broker within its `shutdown_grace`, saying what it waited for, and a second signal must not wait at all.
@Suite("CLI: the broker stops on SIGTERM with a held connection open", .serialized)
struct BrokerShutdownTests {
    /// A psql through `connect` whose DROP waits for approval: the connection a stopping broker must not wait on
    /// forever.
    static func holdAConnection(_ stack: FirstHourStack) async throws -> (connect: ChildProcess, psql: ChildProcess) {
        _ = try await PostgresServer.psql(port: stack.pg.port, ["-c", "create table if not exists held (id int)"])
        let (connect, port, password) = try await AbandonedStatementTests.connect(stack)
        let psql = try AbandonedStatementTests.psql(port: port, password: password, "DROP TABLE held")
        _ = try await AbandonedStatementTests.pendingRequest(for: "DROP TABLE held", stack.alice)
        return (connect, psql)
    }

    @Test("SIGTERM drains for shutdown_grace, logs what it waits for, then closes the connection and exits 0")
    func drainsWithinTheGrace() async throws {
        try await FirstHourStack.with(extraYAML: "shutdown_grace: 3s\n") { stack in
            let (connect, psql) = try await Self.holdAConnection(stack)
            let started = ContinuousClock.now
            stack.broker.signal(SIGTERM)
            let status = try await stack.broker.waitForExit(timeout: .seconds(20))
            let took = ContinuousClock.now - started
            #expect(status == 0, "\(stack.broker.output)")
            // A lower bound only (a loaded machine makes it longer, never shorter); that the broker then stopped
            // is the log's "grace is over" line and its exit, not a wall-clock ceiling.
            #expect(took >= .seconds(2), "the held connection got its grace: \(took)")
            #expect(
                stack.broker.output.contains("waiting up to 3s for 1 open connection(s) of session(s) ses_"),
                "\(stack.broker.output)")
            #expect(stack.broker.output.contains("shutdown grace of 3s is over: closing 1 open connection(s)"))
            #expect(try await psql.waitForExit(timeout: .seconds(20)) != 0, "psql lost its connection")
            #expect(try await stack.tableExists("held"), "the held DROP never ran")
            let events = try await Evidence.auditEvents(stack.broker)
            #expect(events.contains { $0.kind == .brokerStop })
            #expect(events.contains { $0.kind == .approvalWithdraw && $0.details["why"] == "client_left" })
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("a second SIGTERM (or SIGINT) stops the broker at once, however long the grace")
    func secondSignalForces() async throws {
        try await FirstHourStack.with(extraYAML: "shutdown_grace: 10m\n") { stack in
            let (connect, psql) = try await Self.holdAConnection(stack)
            stack.broker.signal(SIGTERM)
            try await stack.broker.waitFor("waiting up to 10m")
            stack.broker.signal(SIGINT)
            // Exiting at all before the ten-minute grace is the point; the minute allowed is only a failure bound.
            let status = try await stack.broker.waitForExit(timeout: .seconds(60))
            #expect(status == 0, "\(stack.broker.output)")
            #expect(stack.broker.output.contains("again: stopping now, closing 1 open connection(s)"))
            _ = try await psql.waitForExit(timeout: .seconds(20))
            #expect(try await stack.tableExists("held"))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("an idle broker stops at once on SIGTERM")
    func idleStopsAtOnce() async throws {
        try await FirstHourStack.with(extraYAML: "shutdown_grace: 10m\n") { stack in
            stack.broker.signal(SIGTERM)
            // Exiting before the ten-minute grace shows it waited for nothing; the minute is only a failure bound.
            let status = try await stack.broker.waitForExit(timeout: .seconds(60))
            #expect(status == 0, "\(stack.broker.output)")
            #expect(!stack.broker.output.contains("waiting up to"), "nothing to wait for: \(stack.broker.output)")
        }
    }
}
