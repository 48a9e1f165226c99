import Foundation
import HoopCore
import Testing

@testable import Broker

/// Output masking on an SSH resource against a real OpenSSH server: values the target prints in pieces (separate
/// reads, with the exit status possibly sent before the last piece), on stdout and on stderr, reach the client
/// masked; a terminal session is masked too; file transfer is refused; and nothing on disk holds an original.
@Suite("End to end: SSH output masking", .serialized)
struct SSHMaskingEndToEndTests {
    static let masking = """

            masking:
              detectors: [email, payment_card]
        """
    static let originals = ["ada@example.com", "4111 1111 1111 1111", "grace@example.org"]

    @Test("values split across reads of stdout and stderr are masked, in the output and in the recording")
    func splitValuesAreMasked() async throws {
        try await SSHEndToEndTests.withStack(allowSFTP: false, extra: Self.masking) { server, broker, agent in
            // Each pause makes the target send a piece as its own packet; the command exits right after the second,
            // so OpenSSH may send the exit status before that piece.
            let stdout = try await agent.run(
                ["exec", "web-1", "--", "printf 'mail ada@exam'; sleep 0.3; printf 'ple.com done\\n'; exit 7"])
            #expect(stdout.status == 7, "\(stdout.stderr)")
            #expect(stdout.stdout == "mail [EMAIL] done\n")
            let stderr = try await agent.run(
                ["exec", "web-1", "--", "printf 'card 4111 1111 ' >&2; sleep 0.3; printf '1111 1111 end' >&2"])
            #expect(stderr.status == 0)
            #expect(stderr.stdout.isEmpty)
            #expect(stderr.stderr == "card [PAYMENT_CARD] end", "\(stderr.stderr)")
            // Both streams at once, each split, stay apart and masked.
            let both = try await agent.run([
                "exec", "web-1", "--",
                "printf 'a grace@exam'; printf 'b ada@exam' >&2; sleep 0.3; printf 'ple.org\\n'; printf 'ple.com\\n' >&2",
            ])
            #expect(both.stdout == "a [EMAIL]\n")
            #expect(both.stderr == "b [EMAIL]\n")

            let ids = try await SSHEndToEndTests.sessionIDs(agent)
            let recorded = try ids.flatMap { try Evidence.recording(broker, session: $0) }
            let output = String(decoding: Evidence.bytes(recorded, .down), as: UTF8.self)
            #expect(output.contains("[EMAIL]") && output.contains("[PAYMENT_CARD]"), "\(output)")
            let counted = recorded.compactMap { $0.details["masking"] }
            #expect(counted.contains { $0["email"] == 1 } && counted.contains { $0["payment_card"] == 1 })
            await broker.stop()
            let audited = try await Evidence.auditEvents(broker).filter { $0.action == "masking.applied" }
            #expect(audited.count == 3, "one per channel that masked something")
            let leaks = try MaskingEndToEndTests.filesContaining(Self.originals, under: broker.dataDir)
            #expect(leaks.isEmpty, "original values on disk: \(leaks)")
            _ = server
        }
    }

    @Test("OpenSSH's client with a terminal sees masked output; scp is refused on a masked resource")
    func terminalAndFileTransfer() async throws {
        try await SSHEndToEndTests.withStack(allowSFTP: false, extra: Self.masking) { server, broker, agent in
            let (connect, port, session, password, options) = try await SSHEndToEndTests.connect(agent)
            let ran = try await SSHServer.openSSH(
                "ssh", ["-tt", "-p", String(port)] + options + ["hoop@127.0.0.1", "printf 'to ada@''example.com\\n'"],
                password: password, scratch: server.directory)
            #expect(ran.status == 0, "\(ran.stderr)")
            #expect(ran.stdout.contains("to [EMAIL]"), "\(ran.stdout)")
            #expect(!ran.stdout.contains("ada@example.com"))

            let file = server.directory.appendingPathComponent("customers.txt")
            try "grace@example.org\n".write(to: file, atomically: true, encoding: .utf8)
            let get = try await SSHServer.openSSH(
                "scp", ["-P", String(port)] + options + ["hoop@127.0.0.1:\(file.path)", "/dev/null"],
                password: password, scratch: server.directory)
            #expect(get.status != 0)
            #expect(get.stderr.contains("sftp (and scp) are not allowed on web-1"), "\(get.stderr)")
            let recording = try await SSHEndToEndTests.close(connect, session: session, agent: agent, broker: broker)
            #expect(recording.contains { $0.details["request"] == "subsystem" && $0.details["refused"] != nil })
        }
    }
}
