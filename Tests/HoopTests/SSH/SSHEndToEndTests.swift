import Crypto
import Foundation
import HoopCore
import Testing

@testable import Broker

/// The SSH engine against a real OpenSSH server: `hoopctl exec` runs commands with their exit status, stdout and
/// stderr apart and stdin streamed; OpenSSH's own ssh and scp work through `hoopctl connect`; shells, sftp and port
/// forwarding follow the resource's settings; a wrong host key or login is refused with the reason.
@Suite("End to end: SSH engine", .serialized)
struct SSHEndToEndTests {
    /// Which target login and host key check a test's resource uses.
    enum Variant {
        case normal
        case wrongHostKey
        case wrongClientKey
        case knownHostsFile
    }

    /// The `web-1` resource on `server`; `extra` is appended to it as written (e.g. a `masking:` block).
    static func resources(
        _ server: SSHServer, variant: Variant, allowShell: Bool, allowSFTP: Bool, extra: String = ""
    ) throws -> String {
        let key = variant == .wrongClientKey ? server.wrongKey.path : server.brokerKey.path
        let trust: String
        switch variant {
        case .wrongHostKey: trust = "host_key: \"\(try server.otherHostKey)\""
        case .knownHostsFile: trust = "known_hosts_file: \(server.knownHosts.path)"
        case .normal, .wrongClientKey: trust = "host_key: \"\(try server.hostKey)\""
        }
        return """
              - name: web-1
                type: ssh
                address: 127.0.0.1:\(server.port)
                username: \(SSHServer.user)
                private_key_file: \(key)
                \(trust)
                allow_shell: \(allowShell)
                allow_sftp: \(allowSFTP)
                allow_groups: [eng, agents]
            """ + extra
    }

    static func withStack(
        variant: Variant = .normal,
        allowShell: Bool = false,
        allowSFTP: Bool = true,
        extra: String = "",
        _ body: (SSHServer, BrokerProcess, ClientCLI) async throws -> Void
    ) async throws {
        try await IdentityProvider.with { idp in
            try await SSHServer.with { server in
                let broker = try await BrokerProcess(
                    issuer: idp.issuer,
                    resourcesYAML: try resources(
                        server, variant: variant, allowShell: allowShell, allowSFTP: allowSFTP, extra: extra)
                )
                defer { broker.remove() }
                try await broker.stoppingAfter { try await body(server, broker, try await ClientCLI.loggedIn(broker)) }
            }
        }
    }

    /// `connect --output json` for the ssh resource: port, session, password and the OpenSSH options.
    static func connect(_ agent: ClientCLI) async throws -> (ChildProcess, port: Int, session: String, String, [String])
    {
        let process = try agent.spawn(["connect", "web-1", "--port", "0", "--output", "json"])
        try await process.waitForOutput("\"port\"", timeout: .seconds(30))
        let line = process.stdout.split(separator: "\n").first { $0.contains("\"port\"") } ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let port = object["port"] as? Int, let session = object["session"] as? String,
            let password = object["password"] as? String, let options = object["ssh_options"] as? [String],
            let command = object["command"] as? String
        else {
            throw PeerError("unreadable connect output: \(process.stdout)")
        }
        #expect(command.hasPrefix("ssh -p \(port) "))
        #expect(options.contains("StrictHostKeyChecking=yes"))
        return (process, port, session, password, options)
    }

    /// Stops `connect`, ends its session (which seals the recording) and returns the recording.
    static func close(_ connect: ChildProcess, session: String, agent: ClientCLI, broker: BrokerProcess) async throws
        -> [RecordingEvent]
    {
        connect.signal(SIGINT)
        _ = try await connect.waitForExit()
        #expect(try await agent.run(["sessions", "revoke", session]).status == 0)
        return try Evidence.recording(broker, session: session)
    }

    /// The sessions `hoopctl exec` opened, newest last.
    static func sessionIDs(_ agent: ClientCLI) async throws -> [String] {
        let listed = try await agent.run(["sessions", "--output", "json"])
        let array = try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]] ?? []
        return array.compactMap { $0["id"] as? String }
    }

    static func sha256(_ file: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty { hasher.update(data: chunk) }
        return hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    static func randomFile(_ url: URL, megabytes: Int) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let output = try FileHandle(forWritingTo: url)
        let random = try FileHandle(forReadingFrom: URL(fileURLWithPath: "/dev/urandom"))
        defer {
            try? output.close()
            try? random.close()
        }
        for _ in 0..<megabytes {
            try output.write(contentsOf: try random.read(upToCount: 1 << 20) ?? Data())
        }
    }

    // MARK: exec

    @Test("exec: exit status, stdout and stderr apart, and the recording holds command, output and status")
    func execStatusAndStreams() async throws {
        try await Self.withStack { server, broker, agent in
            let result = try await agent.run(["exec", "web-1", "--", "echo out; echo err >&2; exit 7"])
            #expect(result.status == 7, "\(result.stderr)")
            #expect(result.stdout == "out\n")
            #expect(result.stderr == "err\n")
            let ok = try await agent.run(["exec", "web-1", "--", "id", "-un"])
            #expect(ok.status == 0)
            #expect(ok.stdout == "\(SSHServer.user)\n")

            let session = try #require(
                try await Self.sessionIDs(agent).first { id in
                    let events = (try? Evidence.recording(broker, session: id)) ?? []
                    return events.contains { $0.details["command"]?.stringValue?.contains("exit 7") == true }
                })
            let recording = try Evidence.recording(broker, session: session)
            let exec = try #require(recording.first { $0.kind == .query && $0.details["request"] == "exec" })
            #expect(exec.details["command"] == "echo out; echo err >&2; exit 7")
            #expect(recording.contains { $0.kind == .result && $0.details["exit_status"] == 7 })
            let stdout = recording.filter { $0.kind == .data && $0.details["stream"] == "stdout" }
            let stderr = recording.filter { $0.kind == .data && $0.details["stream"] == "stderr" }
            #expect(Evidence.bytes(stdout, .down) == Data("out\n".utf8))
            #expect(Evidence.bytes(stderr, .down) == Data("err\n".utf8))
            // The held key never reaches the recording.
            let key = try String(contentsOf: server.brokerKey, encoding: .utf8).split(separator: "\n")[1]
            let text = try String(
                contentsOf: broker.dataDir.appendingPathComponent("recordings/\(session).jsonl"), encoding: .utf8)
            #expect(!text.contains(key))
        }
    }

    @Test("exec: standard input is streamed to the command")
    func execStreamsStdin() async throws {
        try await Self.withStack { server, _, agent in
            let input = server.directory.appendingPathComponent("input.txt")
            try "hello through the broker\nsecond line\n".write(to: input, atomically: true, encoding: .utf8)
            let handle = try FileHandle(forReadingFrom: input)
            defer { try? handle.close() }
            let process = try ChildProcess(
                "hoopctl exec",
                executable: TestEnvironment.hoopctl,
                arguments: ["exec", "web-1", "--", "tr", "a-z", "A-Z"],
                environment: agent.environment,
                stdin: handle
            )
            #expect(try await process.waitForExit() == 0, "\(process.stderr)")
            #expect(process.stdout == "HELLO THROUGH THE BROKER\nSECOND LINE\n")
        }
    }

    @Test("exec: 100 MB through `sha256sum < file` arrives intact (timing printed, not asserted)")
    func execLargeTransfer() async throws {
        try await Self.withStack { server, broker, agent in
            let file = server.directory.appendingPathComponent("big.bin")
            try Self.randomFile(file, megabytes: 100)
            let expected = try Self.sha256(file)

            let handle = try FileHandle(forReadingFrom: file)
            let started = ContinuousClock.now
            let process = try ChildProcess(
                "hoopctl exec",
                executable: TestEnvironment.hoopctl,
                arguments: ["exec", "web-1", "--", "sha256sum"],
                environment: agent.environment,
                stdin: handle
            )
            #expect(try await process.waitForExit(timeout: .seconds(600)) == 0, "\(process.stderr)")
            let throughBroker = ContinuousClock.now - started
            try handle.close()
            #expect(process.stdout.hasPrefix(expected))

            let direct = try FileHandle(forReadingFrom: file)
            let directStarted = ContinuousClock.now
            let plain = try await ChildProcess.run(
                "/usr/bin/ssh",
                [
                    "-i", server.brokerKey.path, "-o", "UserKnownHostsFile=\(server.knownHosts.path)",
                    "-o", "StrictHostKeyChecking=yes", "-p", String(server.port), "\(SSHServer.user)@127.0.0.1",
                    "sha256sum",
                ],
                stdin: direct,
                timeout: .seconds(300)
            )
            let directly = ContinuousClock.now - directStarted
            try direct.close()
            #expect(plain.stdout.hasPrefix(expected))
            print("ssh engine: 100 MB sha256sum through the broker \(throughBroker), direct ssh \(directly)")
            // Everything that crossed is in the recording.
            let recorded = try await Self.sessionIDs(agent).map { try Evidence.recording(broker, session: $0) }
            #expect(recorded.contains { Evidence.bytes($0, .up).count == 100 << 20 })
        }
    }

    // MARK: OpenSSH through hoopctl connect

    @Test("OpenSSH's ssh and scp (both ways) work through connect's port with the printed options")
    func openSSHAndSCP() async throws {
        try await Self.withStack { server, broker, agent in
            let (connect, port, session, password, options) = try await Self.connect(agent)
            let scratch = server.directory
            let ran = try await SSHServer.openSSH(
                "ssh", ["-p", String(port)] + options + ["hoop@127.0.0.1", "echo via-openssh; exit 3"],
                password: password, scratch: scratch)
            #expect(ran.status == 3, "\(ran.stderr)")
            #expect(ran.stdout == "via-openssh\n")

            let wrong = try await SSHServer.openSSH(
                "ssh", ["-p", String(port)] + options + ["hoop@127.0.0.1", "true"],
                password: "not-the-session-password", scratch: scratch)
            #expect(wrong.status == 255)
            #expect(wrong.stderr.contains("Permission denied"))

            let upload = scratch.appendingPathComponent("upload.bin")
            try Self.randomFile(upload, megabytes: 3)
            let remote = "/tmp/hoop-scp-\(UUID().uuidString.prefix(8))"
            let put = try await SSHServer.openSSH(
                "scp", ["-P", String(port)] + options + [upload.path, "hoop@127.0.0.1:\(remote)"],
                password: password, scratch: scratch)
            #expect(put.status == 0, "\(put.stderr)")
            let download = scratch.appendingPathComponent("download.bin")
            let get = try await SSHServer.openSSH(
                "scp", ["-P", String(port)] + options + ["hoop@127.0.0.1:\(remote)", download.path],
                password: password, scratch: scratch)
            #expect(get.status == 0, "\(get.stderr)")
            #expect(try Self.sha256(download) == Self.sha256(upload))
            try? FileManager.default.removeItem(atPath: remote)

            let recording = try await Self.close(connect, session: session, agent: agent, broker: broker)
            #expect(recording.contains { $0.details["request"] == "subsystem" && $0.details["name"] == "sftp" })
            // scp's sftp packets are recorded as file operations too: each file, how it was opened, bytes moved.
            let files = recording.filter { $0.details["protocol"] == "sftp" && $0.details["path"] == .string(remote) }
            let size = JSONValue.int(3 << 20)
            #expect(
                files.contains {
                    $0.details["operation"] == "open" && $0.details["access"] == ["write", "create"]
                })
            #expect(files.contains { $0.details["operation"] == "open" && $0.details["access"] == ["read"] })
            #expect(files.contains { $0.details["operation"] == "close" && $0.details["bytes_written"] == size })
            #expect(files.contains { $0.details["operation"] == "close" && $0.details["bytes_read"] == size })
            // The recording holds the 6 MB both ways, more than an API answer may be: replay still reads it.
            let replay = try await agent.run(["replay", session, "--no-timing"])
            #expect(replay.status == 0, "\(replay.stderr)")
            #expect(replay.stdout.contains("sftp open \(remote) (write, create)"), "\(replay.stdout)")
            #expect(replay.stdout.contains("sftp close \(remote): read 0 B, wrote \(3 << 20) B"))
            #expect(recording.contains { $0.details["command"] == "echo via-openssh; exit 3" })
            #expect(recording.contains { $0.kind == .result && $0.details["exit_status"] == 3 })
        }
    }

    @Test("an interactive shell in a tmux terminal is relayed, with its output and terminal size recorded")
    func interactiveShell() async throws {
        try await Self.withStack(allowShell: true) { server, broker, agent in
            let (connect, port, session, password, options) = try await Self.connect(agent)
            let sshCommand = (["ssh", "-p", String(port)] + options + ["hoop@127.0.0.1"]).joined(separator: " ")
            let terminal = try await TerminalDriver.start(
                "env SSH_ASKPASS=\(SSHServer.askpass) SSH_ASKPASS_REQUIRE=force HOOP_TEST_SSH_PASSWORD='\(password)' "
                    + sshCommand,
                name: "hoop-ssh-\(UUID().uuidString.prefix(8))", columns: 120, rows: 40)
            defer { Task { await terminal.close() } }
            try await terminal.waitFor("\(SSHServer.user)@", attempts: 150)
            try await terminal.type("echo typed-at-a-$((6*7))-prompt")
            try await terminal.waitFor("typed-at-a-42-prompt", attempts: 150)
            try await terminal.resize(columns: 100, rows: 30)
            try await Task.sleep(for: .milliseconds(300))
            try await terminal.type("exit")
            try await Task.sleep(for: .milliseconds(500))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()

            let recording = try Evidence.recording(broker, session: session)
            #expect(recording.contains { $0.details["request"] == "shell" })
            let sizes = recording.filter { $0.kind == .resize }
            #expect(sizes.first?.details["term"] != nil)
            #expect(sizes.first?.details["cols"] == 120)
            #expect(sizes.contains { $0.details["cols"] == 100 && $0.details["rows"] == 30 })
            let output = String(decoding: Evidence.bytes(recording, .down), as: UTF8.self)
            #expect(output.contains("typed-at-a-42-prompt"))
            let input = String(decoding: Evidence.bytes(recording, .up), as: UTF8.self)
            #expect(input.contains("echo typed-at-a-$((6*7))-prompt"))
        }
    }

    // MARK: Refusals

    @Test("shells are refused when allow_shell is off; exec still works")
    func shellRefused() async throws {
        try await Self.withStack(allowShell: false) { server, broker, agent in
            let (connect, port, session, password, options) = try await Self.connect(agent)
            let shell = try await SSHServer.openSSH(
                "ssh", ["-tt", "-p", String(port)] + options + ["hoop@127.0.0.1"],
                password: password, scratch: server.directory)
            #expect(shell.status == 126)
            #expect((shell.stdout + shell.stderr).contains("interactive shells are not allowed on web-1"))
            let exec = try await SSHServer.openSSH(
                "ssh", ["-p", String(port)] + options + ["hoop@127.0.0.1", "echo still-fine"],
                password: password, scratch: server.directory)
            #expect(exec.stdout == "still-fine\n")
            let recording = try await Self.close(connect, session: session, agent: agent, broker: broker)
            #expect(recording.contains { $0.details["request"] == "shell" && $0.details["refused"] != nil })
        }
    }

    @Test("sftp and scp are refused when allow_sftp is off")
    func sftpRefused() async throws {
        try await Self.withStack(allowSFTP: false) { server, _, agent in
            let (connect, port, _, password, options) = try await Self.connect(agent)
            let file = server.directory.appendingPathComponent("small.txt")
            try "x\n".write(to: file, atomically: true, encoding: .utf8)
            let put = try await SSHServer.openSSH(
                "scp", ["-P", String(port)] + options + [file.path, "hoop@127.0.0.1:/tmp/hoop-refused"],
                password: password, scratch: server.directory)
            #expect(put.status != 0)
            #expect(put.stderr.contains("sftp (and scp) are not allowed on web-1"))
            #expect(!FileManager.default.fileExists(atPath: "/tmp/hoop-refused"))
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }

    @Test("port forwarding is refused: direct-tcpip (-W) and tcpip-forward (-R)")
    func portForwardingRefused() async throws {
        try await Self.withStack { server, broker, agent in
            let (connect, port, session, password, options) = try await Self.connect(agent)
            let stdio = try await SSHServer.openSSH(
                "ssh", ["-p", String(port)] + options + ["-W", "127.0.0.1:\(server.port)", "hoop@127.0.0.1"],
                password: password, scratch: server.directory)
            #expect(stdio.status != 0)
            #expect(stdio.stderr.contains("open failed"), "\(stdio.stderr)")
            let remote = try await SSHServer.openSSH(
                "ssh",
                ["-p", String(port)] + options + [
                    "-o", "ExitOnForwardFailure=yes", "-R", "0:127.0.0.1:\(server.port)", "hoop@127.0.0.1", "true",
                ],
                password: password, scratch: server.directory)
            #expect(remote.status != 0)
            #expect(remote.stderr.contains("remote port forwarding failed"), "\(remote.stderr)")
            let recording = try await Self.close(connect, session: session, agent: agent, broker: broker)
            #expect(recording.contains { $0.details["request"] == "direct-tcpip" && $0.details["refused"] != nil })
            #expect(recording.contains { $0.details["request"] == "tcpip-forward" && $0.details["refused"] != nil })
        }
    }

    @Test("a target whose host key does not match the pin is refused with a clear message, and audited")
    func hostKeyMismatch() async throws {
        try await Self.withStack(variant: .wrongHostKey) { _, broker, agent in
            let result = try await agent.run(["exec", "web-1", "--", "true"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("does not match the resource's pinned host_key"), "\(result.stderr)")
            #expect(result.stderr.contains("SHA256:"))
            let events = try await Evidence.auditEvents(broker)
            #expect(
                events.contains { $0.action == "connection.error" && $0.details["code"] == "target_host_key_mismatch" })
        }
    }

    @Test("a known_hosts file verifies the target too")
    func knownHostsFile() async throws {
        try await Self.withStack(variant: .knownHostsFile) { _, _, agent in
            let result = try await agent.run(["exec", "web-1", "--", "echo", "known"])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stdout == "known\n")
        }
    }

    @Test("a key the target does not accept is refused with a clear message")
    func wrongClientKey() async throws {
        try await Self.withStack(variant: .wrongClientKey) { _, broker, agent in
            let result = try await agent.run(["exec", "web-1", "--", "true"])
            #expect(result.status == 1)
            #expect(result.stderr.contains("the target refused the broker's key for user hooptest"), "\(result.stderr)")
            let events = try await Evidence.auditEvents(broker)
            #expect(events.contains { $0.action == "connection.error" && $0.details["code"] == "target_login_failed" })
        }
    }
}
