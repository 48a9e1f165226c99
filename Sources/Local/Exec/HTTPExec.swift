import HoopCore
import NIOCore
import NIOHTTP1
import NIOPosix

/// `hoopctl exec` for `http` and `kubernetes` resources: a short-lived session whose tunnel carries one HTTP/1.1 request, judged,
/// masked and recorded by the broker like any other. The response body goes to stdout as it arrives. Exit status:
/// 0 for a 1xx–3xx answer, 22 for the target's 4xx/5xx (curl's `--fail` code), 126 when the broker refused the
/// request (with its reason on stderr), 4 when it awaits an approval (`--no-wait`).
package enum HTTPExec {
    /// The exit status of a request the target answered with an error.
    static let failedStatus = 22
    /// The exit status of a request the broker refused, as for refused SSH commands.
    static let refusedStatus = 126
    /// The exit status of a request left pending approval, as for SQL under `--no-wait`.
    static let pendingStatus = 4

    struct Runner: CommandRunner {
        func run(
            client: BrokerClient, request: SessionRequest, command: String, streams: CommandStreams,
            approvals: ApprovalWait, approval: ApprovalInfo?
        ) async throws(LocalError) -> CommandOutcome {
            let exchange = try HTTPExecRequest(parsing: command)
            return try await approvals.runInSession(client, request, approval: approval) {
                (granted, headers) async throws(LocalError) in
                try await send(exchange, granted: granted, client: client, headers: headers, streams: streams)
            }
        }
    }

    private static func send(
        _ exchange: HTTPExecRequest, granted: SessionGrantResponse, client: BrokerClient,
        headers: [(name: String, value: String)], streams: CommandStreams
    ) async throws(LocalError) -> CommandExit {
        guard granted.session.resourceType == .http || granted.session.resourceType == .kubernetes else {
            throw LocalError(
                .invalidInput, "\(granted.session.resource) is \(granted.session.resourceType), not http or kubernetes")
        }
        let dialer = try TunnelDialer(
            endpoint: client.endpoint, trust: client.trust, grant: granted.grant, headers: headers)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let answer = loop.makePromise(of: HTTPExecAnswer.self)
        let upgrader = TunnelClientUpgrader { channel in
            try channel.pipeline.syncOperations.addHTTPClientHandlers()
            try channel.pipeline.syncOperations.addHandler(HTTPExecHandler(answer: answer, streams: streams))
        }
        let channel: any Channel
        do throws(LocalError) {
            channel = try await dialer.open(on: loop, upgrader: upgrader)
        } catch {
            answer.fail(error)
            throw error
        }
        channel.closeFuture.whenComplete { _ in
            answer.fail(LocalError(.tunnel, "the broker closed the connection before the response ended"))
        }
        var head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: exchange.method), uri: exchange.path)
        head.headers.add(name: "Host", value: granted.session.resource)
        head.headers.add(name: "Content-Length", value: String(exchange.body.utf8.count))
        head.headers.add(name: "Connection", value: "close")
        if let type = exchange.contentType { head.headers.add(name: "Content-Type", value: type) }
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !exchange.body.isEmpty {
            channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(string: exchange.body))), promise: nil)
        }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        let outcome: HTTPExecAnswer
        do {
            outcome = try await answer.futureResult.get()
        } catch let error as LocalError {
            throw error
        } catch {
            throw dialer.explain(error)
        }
        channel.close(promise: nil)
        return exit(for: outcome, streams: streams)
    }

    private static func exit(for answer: HTTPExecAnswer, streams: CommandStreams) -> CommandExit {
        func note(_ text: String) {
            var buffer = ByteBuffer(string: text + "\n")
            streams.write(.error, buffer.readableBytesView)
            buffer.clear()
        }
        switch answer {
        case .refused(let kind, let message, let approval):
            note("hoopctl: \(message)")
            if kind == "pending_approval" {
                if let approval { note("hoopctl: run again with --approval \(approval) once it is approved") }
                return .status(pendingStatus)
            }
            return .status(refusedStatus)
        case .answered(let status):
            guard status.code >= 400 else { return .status(0) }
            note("hoopctl: the target answered \(status.code) \(status.reasonPhrase)")
            return .status(failedStatus)
        }
    }
}
