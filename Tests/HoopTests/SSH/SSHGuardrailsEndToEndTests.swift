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

                    // A client that goes while its command waits takes the request with it: withdrawn, and an
                    // approval that comes anyway runs nothing.
                    let abandoned = victim.appendingPathComponent("abandoned").path
                    let gone = try agent.spawn(["exec", "web-1", "--", "touch \(abandoned)"])
                    let waiting = try ApprovalsEndToEndTests.approvalID(
                        in: try await gone.waitForOutput("held for approval"))
                    gone.signal(SIGKILL)
                    _ = try await gone.waitForExit()
                    #expect(try await AbandonedStatementTests.settledStatus(waiting, alice) == "withdrawn")
                    #expect(try await alice.run(["approvals", "approve", String(waiting)]).status != 0)
                    try await Task.sleep(for: .seconds(1))
                    #expect(!FileManager.default.fileExists(atPath: abandoned), "the abandoned command never ran")

                    let events = try await Evidence.auditEvents(broker)
                    #expect(events.filter { $0.action == "statement.block" }.count >= 6)
                    #expect(events.contains { $0.action == "approval.use" && $0.details["approval"] == .int(id) })
                    #expect(AuditLeafVerifier.verify(events) == nil)
                }
            }
        }
    }

    static let classGuardrails = """
            guardrails:
              - name: no-tree-deletes
                match: [recursive_delete, privilege_escalation, disk_write]
                action: block
        """

    @Test("command classes stop wrapped, respelled and smuggled deletes before the target; ordinary commands run")
    func commandClasses() async throws {
        try await SSHEndToEndTests.withStack(allowSFTP: false, extra: "\n" + Self.classGuardrails) {
            server, broker, agent in
            let victim = server.directory.appendingPathComponent("victim")
            try FileManager.default.createDirectory(at: victim, withIntermediateDirectories: true)
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: victim.path)
            let canary = victim.appendingPathComponent("canary.txt")
            try "alive\n".write(to: canary, atomically: true, encoding: .utf8)
            let path = victim.path
            // Each of these got past the judge before command classes (given the best globs for rm), or is refused
            // as unreadable now.
            for command in [
                "rm --rec -f \(path)", "rm -f -r \(path)", "env -S 'rm -r' \(path)",
                "timeout 5 nice -n 1 rm -R \(path)", "find \(path) -delete", "echo \(path) | xargs rm",
                "bash -o errexit -c 'rm -r \(path)'", "echo 'rm -r \(path)' | sh",
                "python3 -c 'import shutil; shutil.rmtree(\"\(path)\")'", "echo hi\r\nrm -r \(path)",
                "$'rm\\x00' -r \(path)", "sudo -n rm -r \(path)",
            ] {
                let run = try await agent.run(["exec", "web-1", "--", command])
                #expect(run.status == 126, "\(command): \(run.stderr)")
                #expect(run.stderr.contains("guardrail"), "\(command): \(run.stderr)")
                #expect(FileManager.default.fileExists(atPath: canary.path), "\(command) reached the target")
            }
            // Ordinary work is untouched: a listing, and a delete that is not recursive.
            let scratch = victim.appendingPathComponent("scratch.txt")
            try "x\n".write(to: scratch, atomically: true, encoding: .utf8)
            let listing = try await agent.run(["exec", "web-1", "--", "ls -la \(path) | grep -c canary"])
            #expect(listing.status == 0, "\(listing.stderr)")
            #expect(listing.stdout == "1\n")
            let delete = try await agent.run(["exec", "web-1", "--", "rm -f \(scratch.path)"])
            #expect(delete.status == 0, "\(delete.stderr)")
            #expect(!FileManager.default.fileExists(atPath: scratch.path))

            let events = try await Evidence.auditEvents(broker)
            let blocks = events.filter { $0.action == "statement.block" }
            #expect(blocks.count >= 12)
            #expect(blocks.contains { $0.details["rule"] == "no-tree-deletes" })
            #expect(blocks.contains { $0.details["rule"] == "control_characters" })
            #expect(blocks.contains { $0.details["rule"] == "opaque_command" })
        }
    }

    @Test("env requests outside allow_env never reach the target, even one the target would accept")
    func environmentRequests() async throws {
        try await SSHEndToEndTests.withStack(allowSFTP: false) { server, broker, agent in
            let (connect, port, session, password, options) = try await SSHEndToEndTests.connect(agent)
            // The target's sshd accepts LANG, LC_* and HOOP_*: only the broker stands between HOOP_PROBE and it.
            let run = try await SSHServer.openSSH(
                "ssh",
                ["-p", String(port)] + options + [
                    "-o", "SetEnv=HOOP_PROBE=leaked LD_PRELOAD=/nonexistent.so LANG=C.UTF-8",
                    "hoop@127.0.0.1", "echo \"[${HOOP_PROBE-unset}] [${LANG-unset}]\"",
                ],
                password: password, scratch: server.directory)
            #expect(run.status == 0, "\(run.stderr)")
            #expect(run.stdout == "[unset] [C.UTF-8]\n")
            let recording = try await SSHEndToEndTests.close(connect, session: session, agent: agent, broker: broker)
            let requests = recording.filter { $0.details["request"] == "env" }
            #expect(requests.contains { $0.details["name"] == "HOOP_PROBE" && $0.details["refused"] != nil })
            #expect(requests.contains { $0.details["name"] == "LD_PRELOAD" && $0.details["refused"] != nil })
            #expect(requests.contains { $0.details["name"] == "LANG" && $0.details["refused"] == nil })
            #expect(!requests.contains { $0.details["value"] == "leaked" }, "a refused value is not recorded")
            let blocks = try await Evidence.auditEvents(broker).filter {
                $0.action == "statement.block" && $0.details["rule"] == "allow_env"
            }
            #expect(blocks.contains { $0.details["statement"] == "env HOOP_PROBE" })
            #expect(blocks.contains { $0.details["statement"] == "env LD_PRELOAD" })
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
