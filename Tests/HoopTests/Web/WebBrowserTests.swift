import Foundation
import HoopCore
import Testing

@testable import Broker

/// A person in a real browser (headless Chromium through selenium, `testing/web-browser/approver.py`): logs in
/// through the test IdP's form, approves a waiting statement and sees the waiting `hoopctl exec` finish, denies
/// another and sees it refused, then opens the approved session and its replay. Screenshots of every page go to a
/// scratch directory, or to docs/images when HOOP_WEB_SCREENSHOTS names it (how the docs' pictures are made).
@Suite("Browser: the approver page in Chromium", .serialized)
struct WebBrowserTests {
    static let script = TestEnvironment.repositoryRoot.appendingPathComponent("testing/web-browser/approver.py").path

    static func approver(_ broker: BrokerProcess, _ arguments: [String], screenshots: String) async throws
        -> [[String: Any]]
    {
        let run = try await ChildProcess.run(
            "/usr/bin/env",
            [
                "python3", script, "--broker", broker.url, "--ca", broker.caFile.path, "--username", "alice",
                "--email", "alice@example.com", "--groups", "dba,admins", "--screenshots", screenshots,
            ] + arguments,
            timeout: .seconds(120))
        #expect(run.status == 0, "\(run.stderr)")
        return run.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
    }

    @Test("log in, approve one statement (its exec finishes), deny another (its exec is refused), replay the session")
    func approveAndDenyInChromium() async throws {
        let screenshots =
            try ProcessInfo.processInfo.environment["HOOP_WEB_SCREENSHOTS"]
            ?? TestEnvironment.scratchDirectory("web-screenshots").path
        try await WebPageEndToEndTests.withStack { stack in
            _ = try await PostgresServer.psql(
                port: stack.pg.port, ["-c", "create table doomed (id int); create table kept (id int)"])
            let approveExec = try stack.agent.spawn(
                ["exec", "pg-guarded", "--reason", "INC-4711: drop the migrated copy", "--", "DROP TABLE doomed"])
            let approveID = try ApprovalsEndToEndTests.approvalID(
                in: try await approveExec.waitForOutput("waiting for approval"))
            let denyExec = try stack.agent.spawn(
                ["exec", "pg-guarded", "--reason", "tidy up", "--", "DROP TABLE kept"])
            let denyID = try ApprovalsEndToEndTests.approvalID(
                in: try await denyExec.waitForOutput("waiting for approval"))

            let seen = try await Self.approver(
                stack.broker,
                ["--approve", String(approveID), "--deny", String(denyID), "--comment", "checked the ticket"],
                screenshots: screenshots)
            let listed = try #require(seen.first { $0["page"] as? String == "approvals" })
            #expect((listed["cards"] as? [String])?.count == 2)
            let shown = try #require(
                seen.first { $0["page"] as? String == "approval" && $0["id"] as? String == String(approveID) })
            #expect(shown["statement"] as? String == "DROP TABLE doomed")
            #expect(shown["reason"] as? String == "INC-4711: drop the migrated copy")
            // The approved statement may already have run by the time the page shows the decision: `used`.
            let decided = seen.filter { $0["page"] as? String == "decided" }.map { "\($0["status"] ?? "none")" }
            #expect(
                decided.count == 2 && ["approved", "used"].contains(decided[0]) && decided[1] == "denied", "\(seen)")

            #expect(try await approveExec.waitForExit() == 0, "\(approveExec.stderr)")
            #expect(try await denyExec.waitForExit() == 3)
            #expect(denyExec.stderr.contains("denied by alice@example.com: checked the ticket"))
            #expect(try await !ApprovalsEndToEndTests.tableExists(stack.pg, "doomed"))
            #expect(try await ApprovalsEndToEndTests.tableExists(stack.pg, "kept"))

            let events = try await Evidence.auditEvents(stack.broker)
            let used = try #require(
                events.first { $0.action == "approval.use" && $0.details["approval"] == .int(approveID) })
            let session = try #require(used.session)
            #expect(events.contains { $0.action == "approval.approve" && $0.details["interface"] == "web" })

            let replayed = try await Self.approver(stack.broker, ["--session", session], screenshots: screenshots)
            let page = try #require(replayed.first { $0["page"] as? String == "session" })
            #expect((page["statements"] as? [String])?.contains("DROP TABLE doomed") == true)
            let replay = try #require(replayed.first { $0["page"] as? String == "replay" })
            #expect((replay["text"] as? String)?.contains("DROP TABLE doomed") == true)
            for name in [
                "web-login", "web-approvals", "web-approval-approve", "web-approval-approved", "web-approval-denied",
                "web-session", "web-replay",
            ] {
                #expect(FileManager.default.fileExists(atPath: "\(screenshots)/\(name).png"), "\(name)")
            }
        }
    }
}
