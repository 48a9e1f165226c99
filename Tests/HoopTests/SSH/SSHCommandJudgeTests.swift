import Crypto
import Foundation
import HoopCore
import Logging
import NIOCore
import NIOPosix
import NIOSSH
import Synchronization
import Testing

@testable import Broker

/// A judge with fixed answers that remembers what it was asked.
private final class ScriptedJudge: SSHCommandJudge {
    let asked = Mutex<[SSHCommandRequest]>([])

    func judge(_ request: SSHCommandRequest) async -> SSHCommandDecision {
        asked.withLock { $0.append(request) }
        guard case .exec(let command) = request.action else { return .allow }
        let programs = ((try? ShellCommandLine.parse(command)) ?? []).compactMap(\.program)
        if programs.contains("audit-broken") { return .end("the broker cannot record its decision: disk full") }
        if programs.contains("rm") { return .refuse("rm is not allowed here") }
        if programs.contains("deploy-step") {
            return .hold(notice: "waiting for approval 42") {
                try? await Task.sleep(for: .milliseconds(200))
                return .allow
            }
        }
        return .allow
    }
}

/// The command-judge seam, driven by OpenSSH's client through the engine in-process: a refused command never
/// reaches the target and exits 126 with the judge's words; a held one prints the notice, then runs.
@Suite("SSH: command judge", .serialized)
struct SSHCommandJudgeTests {
    /// Through one multiplexed OpenSSH connection (a control master): after a refused command the connection
    /// still carries the next one; after a decision the broker could not audit, the connection itself is gone.
    static func refusalKeepsConnectionAndEndDropsIt(options: [String], scratch: URL) async throws {
        let socket = "/tmp/hoop-cm-\(UUID().uuidString.prefix(8))"
        let environment = SSHServer.askpassEnvironment("judge-test-password")
        let multiplexed = options + ["-o", "ControlPath=\(socket)"]
        // The master goes to the background; its output goes nowhere, so waiting on it does not hang.
        let master = (["ssh"] + multiplexed + ["-o", "ControlMaster=yes", "-o", "ControlPersist=yes", "-fN"])
            .joined(separator: " ")
        let started = try await ChildProcess.run(
            "/bin/sh", ["-c", "\(master) hoop@127.0.0.1 </dev/null >/dev/null 2>&1"], environment: environment)
        #expect(started.status == 0)
        defer {
            Task {
                _ = try? await ChildProcess.run("/usr/bin/ssh", ["-o", "ControlPath=\(socket)", "-O", "exit", "x"])
            }
        }
        func alive() async throws -> Bool {
            try await ChildProcess.run("/usr/bin/ssh", ["-o", "ControlPath=\(socket)", "-O", "check", "x"]).status == 0
        }
        #expect(try await alive())
        let refused = try await ChildProcess.run(
            "/usr/bin/ssh", multiplexed + ["hoop@127.0.0.1", "rm -f /nonexistent"], environment: environment)
        #expect(refused.status == 126, "\(refused.stderr)")
        #expect(try await alive(), "a refusal ends the channel, not the connection")
        let ended = try await ChildProcess.run(
            "/usr/bin/ssh", multiplexed + ["hoop@127.0.0.1", "audit-broken"], environment: environment)
        #expect(ended.stderr.contains("hoop: the broker cannot record its decision"), "\(ended.stderr)")
        // The connection's end reaches the master a moment after the channel's; a loaded machine may need longer.
        var connected = try await alive()
        for _ in 0..<150 where connected {
            try await Task.sleep(for: .milliseconds(100))
            connected = try await alive()
        }
        #expect(!connected, "a decision that cannot be audited ends the connection")
    }

    @Test("refused commands never run; held commands print the notice and run once allowed")
    func judgeDecides() async throws {
        try await SSHServer.with { server in
            let judge = ScriptedJudge()
            let yaml = """
                identity:
                  - issuer: http://127.0.0.1:9400
                    audience: hoop
                resources:
                  - name: web-1
                    type: ssh
                    address: 127.0.0.1:\(server.port)
                    username: \(SSHServer.user)
                    private_key_file: \(server.brokerKey.path)
                    host_key: "\(try server.hostKey)"
                """
            let config = try ConfigLoader.parse(yaml: yaml, relativeTo: server.directory)
            let resource = try #require(config.resources.first)
            let store = try SQLiteStore(path: server.directory.appendingPathComponent("broker.db"))
            let audit = AuditLog(store: store, logger: Logger(label: "test"))
            let approvals = ApprovalService(
                config: config, store: store, audit: audit,
                notifier: ApprovalNotifier(config: config.approvals, logger: Logger(label: "test")),
                logger: Logger(label: "test"))
            let recorder = try SessionRecorder(
                file: server.directory.appendingPathComponent("recording.jsonl"), metadata: [:])
            let engine = SSHEngine(
                logger: Logger(label: "test"),
                hostKey: SSHHostKey(
                    privateKey: NIOSSHPrivateKey(ed25519Key: .init()),
                    publicKeyText: ""
                ),
                judge: judge
            )
            let session = SessionRecord(
                id: "ses_judge", resource: "web-1", resourceType: .ssh, issuer: "test", subject: "tester",
                email: "tester@example.com", groups: [], reason: nil, status: .active, createdAt: Date(),
                expiresAt: Date().addingTimeInterval(600), endedAt: nil, connections: 0, bytesUp: 0, bytesDown: 0,
                recordingDigest: nil
            )
            let tunnel = AdmittedTunnel(
                session: session, resource: resource, recorder: recorder, clientPassword: "judge-test-password",
                approvals: approvals)
            let reporter = ConnectionReporter(
                sessions: SessionManager(
                    config: config, store: store, audit: audit,
                    grants: await GrantSigner(key: Curve25519.Signing.PrivateKey()), approvals: approvals,
                    engines: try EngineRegistry(
                        EngineEnvironment(logger: Logger(label: "test"), dataDir: server.directory, maskers: [:])),
                    logger: Logger(label: "test")),
                tunnel: tunnel, connection: 1)
            let loop = MultiThreadedEventLoopGroup.singleton.next()
            // As in the broker, the engine is attached to a connection that is already active; reads wait for it.
            let listener = try await ServerBootstrap(group: loop)
                .childChannelOption(.allowRemoteHalfClosure, value: true)
                .childChannelOption(.autoRead, value: false)
                .childChannelInitializer { channel in
                    let prepared = PreparedSSHConnection(
                        tunnel: tunnel, connection: 1, settings: resource.ssh!, engine: engine, eventLoop: loop,
                        judge: judge, reporter: reporter)
                    Task {
                        do {
                            try await prepared.connectTarget()
                        } catch {
                            channel.close(promise: nil)
                            return
                        }
                        loop.execute {
                            do {
                                try prepared.attach(client: channel)
                                channel.setOption(.autoRead, value: true).whenFailure { _ in channel.close(promise: nil)
                                }
                            } catch {
                                channel.close(promise: nil)
                            }
                        }
                    }
                    return loop.makeSucceededVoidFuture()
                }
                .bind(host: "127.0.0.1", port: 0)
                .get()
            defer { listener.close(promise: nil) }
            let port = try #require(listener.localAddress?.port)
            let options = [
                "-p", String(port), "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
            ]

            // A file the target's user could delete, had the command reached the target.
            let account = try #require(getpwnam(SSHServer.user))
            let home = String(cString: account.pointee.pw_dir)
            let victim = URL(fileURLWithPath: home).appendingPathComponent("keep-me-\(UUID().uuidString.prefix(8))")
            try "precious\n".write(to: victim, atomically: true, encoding: .utf8)
            #expect(chown(victim.path, account.pointee.pw_uid, account.pointee.pw_gid) == 0)
            defer { try? FileManager.default.removeItem(at: victim) }
            let refused = try await SSHServer.openSSH(
                "ssh", options + ["hoop@127.0.0.1", "\\rm -f \(victim.path)"],
                password: "judge-test-password", scratch: server.directory)
            #expect(refused.status == 126)
            #expect(refused.stderr.contains("hoop: rm is not allowed here"), "\(refused.stderr)")
            #expect(FileManager.default.fileExists(atPath: victim.path))

            // A decision the broker cannot audit ends the connection after telling the client; nothing runs.
            let ended = try await SSHServer.openSSH(
                "ssh", options + ["hoop@127.0.0.1", "audit-broken; rm -f \(victim.path)"],
                password: "judge-test-password", scratch: server.directory)
            #expect(ended.status != 0)
            #expect(ended.stderr.contains("hoop: the broker cannot record its decision: disk full"), "\(ended.stderr)")
            #expect(FileManager.default.fileExists(atPath: victim.path))

            let held = try await SSHServer.openSSH(
                "ssh", options + ["hoop@127.0.0.1", "deploy-step() { echo deployed; }; deploy-step"],
                password: "judge-test-password", scratch: server.directory)
            #expect(held.status == 0, "\(held.stderr)")
            #expect(held.stderr.contains("hoop: waiting for approval 42"))
            #expect(held.stdout == "deployed\n")

            let asked = judge.asked.withLock { $0 }
            #expect(
                asked.map(\.action) == [
                    .exec("\\rm -f \(victim.path)"), .exec("audit-broken; rm -f \(victim.path)"),
                    .exec("deploy-step() { echo deployed; }; deploy-step"),
                ])
            #expect(asked.allSatisfy { $0.session == "ses_judge" && $0.actor == "tester@example.com" })

            try await Self.refusalKeepsConnectionAndEndDropsIt(options: options, scratch: server.directory)

            try recorder.flush()
            let lines = try String(contentsOf: recorder.url, encoding: .utf8)
            #expect(lines.contains("rm is not allowed here"))
            #expect(lines.contains("waiting for approval 42"))
        }
    }
}
