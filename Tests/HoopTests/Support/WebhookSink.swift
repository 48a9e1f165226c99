import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat

/// `testing/webhook-sink/sink.py` as a real process: it stores the JSON the broker posts to approver webhooks.
final class WebhookSink: Sendable {
    let port: Int
    private let process: ChildProcess

    var url: String { "http://127.0.0.1:\(port)/hook" }

    init(failFirst: Int = 0) async throws {
        port = try TestEnvironment.freePort()
        process = try ChildProcess(
            "webhook-sink",
            executable: "/usr/bin/env",
            arguments: [
                "python3", TestEnvironment.repositoryRoot.appendingPathComponent("testing/webhook-sink/sink.py").path,
                "--port", String(port), "--fail-first", String(failFirst),
            ]
        )
        try await process.waitForOutput("webhook sink listening")
    }

    func stop() async {
        await process.stop()
    }

    /// Bodies received so far and the number of POST attempts (failed ones included).
    func received() async throws -> (bodies: [[String: Any]], attempts: Int) {
        let response = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: "http://127.0.0.1:\(port)/received"), timeout: .seconds(5))
        let body = try await response.body.collect(upTo: 1 << 20)
        guard let object = try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any] else {
            throw PeerError("unreadable sink answer")
        }
        return (object["received"] as? [[String: Any]] ?? [], object["attempts"] as? Int ?? 0)
    }

    /// Waits until a body with `event` for approval `id` arrived.
    func waitFor(event: String, approval id: Int64, timeout: Duration = .seconds(20)) async throws -> [String: Any] {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let bodies = try await received().bodies
            if let body = bodies.first(where: {
                $0["event"] as? String == event && ($0["approval"] as? [String: Any])?["id"] as? Int == Int(id)
            }) {
                return body
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw PeerError("no \(event) webhook for approval \(id)")
    }
}
