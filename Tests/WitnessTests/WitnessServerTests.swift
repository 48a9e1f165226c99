import Foundation
import HoopCore
import Testing
import Witness

/// The real HTTP server in this process, driven by the client the broker uses: every kind of reply crosses the wire
/// and is read back as the protocol defines it.
@Suite("Witness over HTTP: WitnessClient against WitnessServer")
struct WitnessServerTests {
    @Test("cosigned, conflict and each refusal arrive as their WitnessReply; a stopped witness is unreachable")
    func everyReplyKind() async throws {
        let log = SimulatedLog(leaves: 32)
        let witness = try WitnessFixture(trusting: [log.vkey])
        let server = try await WitnessServer.start(service: witness.service)
        let client = WitnessClient()
        func send(_ request: AddCheckpointRequest, timeout: Duration = .seconds(10)) async throws -> WitnessReply {
            try await client.addCheckpoint(
                url: server.url, oldSize: request.oldSize, proof: request.proof, note: request.note, timeout: timeout)
        }

        let first = try log.request(old: 0, size: 9)
        guard case .cosigned(let lines) = try await send(first) else {
            Issue.record("the first checkpoint was not cosigned")
            return
        }
        #expect(lines.count == 1)
        let cosigned = first.note.adding(try #require(lines.first))
        #expect(try Cosignature.find(by: witness.identity.vkey, on: cosigned) != nil)

        #expect(try await send(try log.request(old: 0, size: 12)) == .conflict(witnessSize: 9))
        #expect(try await send(try log.request(old: 9, size: 12)) != .conflict(witnessSize: 9))

        let forked = try log.fork(divergingAt: 3, leaves: 32)
        #expect(try await send(try forked.request(old: 12, size: 12)) == .conflict(witnessSize: 12))
        guard case .refused(422, let inconsistent) = try await send(try forked.request(old: 12, size: 20)) else {
            Issue.record("a forked extension was not refused with 422")
            return
        }
        #expect(inconsistent.contains("does not verify"))
        guard case .refused(400, let beyond) = try await send(try log.request(old: 20, size: 14)) else {
            Issue.record("old beyond size was not refused with 400")
            return
        }
        #expect(beyond.contains("larger than the checkpoint size"))
        let impostor = SimulatedLog(origin: log.origin, leaves: 32)
        #expect(try await statusOf(send(try impostor.request(old: 12, size: 20))) == 403)
        let stranger = SimulatedLog(origin: "stranger.example/log", leaves: 4)
        #expect(try await statusOf(send(try stranger.request(old: 0, size: 4))) == 404)

        // A body past the server's 64 KiB bound is refused before it is read.
        let huge = AddCheckpointRequest(
            oldSize: 12, proof: Array(repeating: try log.tree.rootHash(size: 1), count: 2000),
            note: try log.note(size: 20))
        #expect(try await statusOf(send(huge)) == 413)
        #expect(try await witness.store.cosigned(origin: log.origin).size == 12)

        try await server.stop()
        let request = try log.request(old: 12, size: 20)
        // The shared HTTP client retries a refused connection until the deadline, then reports the refusal.
        let failure = await #expect(throws: WitnessClientError.self) {
            _ = try await send(request, timeout: .milliseconds(500))
        }
        #expect(failure?.kind == .unreachable)
    }

    private func statusOf(_ reply: WitnessReply) -> Int? {
        if case .refused(let status, _) = reply { return status }
        return nil
    }
}

/// The client's reading of answers a witness (or something in its place) might give.
@Suite("WitnessClient: reading replies")
struct WitnessReplyTests {
    private let url = "http://witness.example/add-checkpoint"

    @Test("a 200 of signature lines is read line by line")
    func cosignedLines() throws {
        let line = NoteSignature(name: "w.example/1", keyID: [1, 2, 3, 4], payload: Array(repeating: 9, count: 72))
        let other = NoteSignature(name: "w.example/2", keyID: [5, 6, 7, 8], payload: Array(repeating: 3, count: 72))
        let reply = try WitnessClient.reply(
            status: 200, contentType: nil, body: Array((line.line + other.line).utf8), url: url)
        #expect(reply == .cosigned([line, other]))
    }

    @Test(
        "a 200 that is empty, unterminated or not signature lines is a malformed reply",
        arguments: [
            "", "\n", "— w.example/1 AQIDBAkJ", "<html>ok</html>\n", "— w.example/1 not base64\n",
        ])
    func malformedCosignature(body: String) {
        #expect(throws: WitnessClientError.self) {
            try WitnessClient.reply(status: 200, contentType: "text/plain", body: Array(body.utf8), url: url)
        }
    }

    @Test("a 409 is a conflict only with the size content type and one canonical decimal")
    func conflictNeedsItsType() throws {
        #expect(
            try WitnessClient.reply(status: 409, contentType: "text/x.tlog.size", body: Array("42\n".utf8), url: url)
                == .conflict(witnessSize: 42))
        #expect(
            try WitnessClient.reply(
                status: 409, contentType: "Text/X.Tlog.Size; charset=utf-8", body: Array("0\n".utf8), url: url)
                == .conflict(witnessSize: 0))
        for (type, body) in [
            ("text/plain", "42\n"), ("text/x.tlog.size", "042\n"), ("text/x.tlog.size", "42"),
            ("text/x.tlog.size", "-1\n"),
        ] {
            let reply = try WitnessClient.reply(status: 409, contentType: type, body: Array(body.utf8), url: url)
            #expect(reply == .refused(status: 409, reason: body.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
    }

    @Test("a refusal's reason keeps printable text only and is cut to 500 characters")
    func reasonIsSanitized() throws {
        let reply = try WitnessClient.reply(
            status: 403, contentType: nil,
            body: Array(("bad\u{1B}[31m\rsig" + String(repeating: "x", count: 900)).utf8),
            url: url)
        guard case .refused(403, let reason) = reply else {
            Issue.record("not a refusal")
            return
        }
        #expect(!reason.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(reason.hasPrefix("bad [31m sig"))
        #expect(reason.count == 500)
    }
}
