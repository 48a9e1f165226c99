import Foundation
import HoopCore
import Testing

@testable import Broker

/// Command guardrails on an SSH resource against a real OpenSSH server: blocked commands never reach the target
/// (however they are spelled), and a command that needs approval waits for an approver, then runs.
@Suite("End to end: SSH guardrails", .serialized)
struct SSHGuardrailsEndToEndTests {
    static let guardrails = """
            guardrails:
              - name: destructive
                match: { command: ["rm -rf *", "shutdown*", "reboot"] }
                action: block
              - name: changes
                match: { command: ["touch *"] }
                action: require_approval
                approvers: [dba]
        """

    @Test("blocked commands exit 126 with the rule; a held command runs once approved; all of it is audited")
    func blockAndApprove() async throws {
        try await IdentityProvider.with { idp in
            try await SSHServer.with { server in
                let resource = try SSHEndToEndTests.resources(
                    server, variant: .normal, allowShell: false, allowSFTP: false)
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: resource + "\n" + Self.guardrails)
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    let agent = try await ClientCLI.loggedIn(broker)
                    try await idp.addClient("alice", secret: "alice-secret", groups: ["dba"], subject: "alice")
                    let alice = try await ClientCLI.loggedIn(
                        broker, name: "alice", clientID: "alice", secret: "alice-secret")

                    let victim = server.directory.appendingPathComponent("victim")
                    try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
                    try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: victim.path)
                    for command in [
                        "rm -rf \(victim.path)", "echo ok; /bin/rm -rf \(victim.path)", "\\rm -rf \(victim.path)",
                        "echo $(rm -rf \(victim.path))", "sh -c 'rm -rf \(victim.path)'", "reboot",
                    ] {
                        let run = try await agent.run(["exec", "web-1", "--", command])
                        #expect(run.status == 126, "\(command): \(run.stderr)")
                        #expect(run.stderr.contains("guardrail") || run.stderr.contains("computes what it runs"))
                        #expect(FileManager.default.fileExists(atPath: victim.path), "\(command) reached the target")
                    }

                    let marker = victim.appendingPathComponent("approved").path
                    let held = try agent.spawn(["exec", "web-1", "--", "touch \(marker)"])
                    let notice = try await held.waitForOutput("held for approval")
                    let id = try ApprovalsEndToEndTests.approvalID(in: notice)
                    #expect(!FileManager.default.fileExists(atPath: marker), "nothing runs before approval")
                    #expect(try await alice.run(["approvals", "approve", String(id)]).status == 0)
                    #expect(try await held.waitForExit() == 0, "\(held.stderr)")
                    #expect(FileManager.default.fileExists(atPath: marker))

                    let events = try await Evidence.auditEvents(broker)
                    #expect(events.filter { $0.action == "statement.block" }.count >= 6)
                    #expect(events.contains { $0.action == "approval.use" && $0.details["approval"] == .int(id) })
                    #expect(AuditChainVerifier.verify(events) == nil)
                }
            }
        }
    }

    @Test("the judge reads every command of a line, drops the program's directory, and refuses what it cannot see")
    func judgement() throws {
        let rules = [
            GuardrailRule(name: "destructive", match: GuardrailMatch(commands: ["rm -rf *"]), action: .block)
        ]
        #expect(CommandJudge(rules: rules).judge("ls -la /tmp") == .allow)
        #expect(CommandJudge(rules: rules).judge("rm -f one-file") == .allow)
        for line in ["rm -rf /", "cd / && rm -rf x", "/usr/bin/rm -rf x", "r''m -rf x", "true | rm -rf x"] {
            guard case .block = CommandJudge(rules: rules).judge(line) else {
                Issue.record("\(line) was not blocked")
                continue
            }
        }
        guard case .block(let rule, _) = CommandJudge(rules: rules).judge("$(echo rm) -rf x") else {
            Issue.record("a computed command name must be refused")
            return
        }
        #expect(rule == "opaque_command")
        guard case .block(let unreadable, _) = CommandJudge(rules: rules).judge("echo 'unterminated") else {
            Issue.record("an unparsable line must be refused")
            return
        }
        #expect(unreadable == "unreadable_command")
    }
}
