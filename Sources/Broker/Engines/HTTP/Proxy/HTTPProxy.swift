import AsyncHTTPClient
import Crypto
import HoopCore
import Logging
import Masking
import NIOCore
import NIOHTTP1
import Synchronization

/// Carries one local client connection's requests through the pipeline, one at a time: read what the request
/// is (canonical target, forwardable headers, body), record it, judge it, and forward what is allowed to the
/// target with the held credential, streaming the response back masked and recorded. Whatever the broker answers
/// itself — a malformed request, a refusal, a dead target — is a JSON account the client can read.
final class HTTPProxy: Sendable {
    struct Parts: Sendable {
        let target: HTTPTarget
        let client: any Channel
        let judge: HTTPRequestJudge
        let gate: GuardrailGate
        let masker: ValueMasker?
        let reporter: ConnectionReporter
        /// The held credential's header, read when the connection opened.
        let credential: (name: String, value: String)?
        /// What the credential holds, removed from every response in case the target reflects it.
        let heldSecrets: [String]
        let logger: Logger
    }

    /// Whether a request is being served, and whether the client has finished sending: a client that half-closes
    /// after its last request still gets that response, and the connection ends once it is sent.
    private struct Flow {
        var serving = false
        var inputClosed = false
    }

    private let parts: Parts
    private let counts = Mutex(TrafficCounts(up: 0, down: 0))
    private let flow = Mutex(Flow())
    /// What the connection's responses had masked, audited once when it ends: an audit event per response would
    /// cost more than the response.
    private let masked = Mutex(MaskingSummary())

    init(_ parts: Parts) {
        self.parts = parts
    }

    var traffic: TrafficCounts { counts.withLock { $0 } }

    private var tunnel: AdmittedTunnel { parts.reporter.tunnel }
    private var recorder: SessionRecorder { parts.reporter.tunnel.recorder }
    private var connection: Int64 { parts.reporter.connection }

    /// The client connection closed: a request waiting for approval is withdrawn and nothing it sent runs.
    func clientLeft() {
        parts.gate.clientLeft()
    }

    /// The client connection ended: audits what its responses had masked (a `masking.applied` event with counts
    /// per detector), if anything.
    func ended() {
        let total = masked.withLock { total in
            defer { total = MaskingSummary() }
            return total
        }
        if !total.isEmpty { parts.reporter.masked(.object(total.counts.mapValues { JSONValue.int(Int64($0)) })) }
    }

    /// A whole request has arrived and is about to be served. Called on the client's event loop.
    func accepted() {
        flow.withLock { $0.serving = true }
    }

    /// The client finished sending (half-close): the connection ends now, or after the response being served.
    func inputClosed() {
        let idle = flow.withLock { flow in
            flow.inputClosed = true
            return !flow.serving
        }
        if idle { parts.client.close(promise: nil) }
    }

    private func served() {
        let ended = flow.withLock { flow in
            flow.serving = false
            return flow.inputClosed
        }
        if ended { parts.client.close(promise: nil) }
    }

    // MARK: One request

    func handle(_ request: HTTPCollectedRequest) async {
        defer { served() }
        let head = request.head
        counts.withLock { $0.up += request.body.readableBytes }
        let facts: HTTPRequestFacts
        let headers: HTTPHeaders
        do throws(HTTPRequestProblem) {
            guard head.method != .CONNECT, head.method != .TRACE else {
                throw HTTPRequestProblem(.badMethod, "\(head.method.rawValue) is not relayed")
            }
            let target = try HTTPRequestTarget(parsing: head.uri)
            headers = try HTTPHeaderPolicy.forwardable(
                head.headers, credentialHeader: parts.target.credential?.headerName, masked: parts.masker != nil)
            let body = HTTPRequestBody(
                Array(request.body.readableBytesView), contentType: head.headers.first(name: "content-type"))
            facts = HTTPRequestFacts(method: head.method.rawValue, target: target, body: body)
        } catch {
            await answer(problem: error, head: head)
            return
        }
        let kubernetes = parts.judge.kubernetes(facts)
        if parts.masker != nil, kubernetes?.subresource == "portforward" {
            await respond(
                HTTPRefusal(
                    status: .forbidden, kind: .blocked,
                    message: "port-forward carries bytes the broker cannot mask; this resource masks its output"),
                version: head.version, close: true)
            return
        }
        guard
            await recordOrEnd(
                .query, .up, .object(requestDetails(facts, headers: headers, body: request.body)), what: "request",
                version: head.version)
        else { return }
        var verdict = await parts.gate.answer(
            parts.judge.judge(facts, kubernetes: kubernetes),
            on: subject(facts, kubernetes: kubernetes, body: request.body),
            with: HTTPGuardrailAdapter(summary: facts.summary))
        while case .wait(let decision) = verdict { verdict = await decision() }
        switch verdict {
        case .forward:
            if let why = parts.gate.departed {
                parts.logger.debug("http request not forwarded: \(why)")
                return
            }
            if head.headers.contains(name: "upgrade") {
                // Judged first, so a refused exec reads as its rule whatever protocol kubectl tries it with.
                let protocols = head.headers[canonicalForm: "upgrade"].map { $0.lowercased() }
                guard head.method == .GET, protocols == ["websocket"],
                    head.headers.first(name: "sec-websocket-key") != nil,
                    head.headers[canonicalForm: "sec-websocket-version"] == ["13"]
                else {
                    await answer(
                        problem: HTTPRequestProblem(
                            .upgrade,
                            "only WebSocket handshakes (RFC 6455, version 13) are relayed; SPDY is not (kubectl 1.30 and "
                                + "later use WebSocket)"),
                        head: head)
                    return
                }
                await upgrade(facts, headers: headers, head: head)
            } else {
                await forward(facts, headers: headers, body: request.body, head: head)
            }
        case .refuse(let refusal):
            await respond(refusal, version: head.version, close: !head.isKeepAlive)
        case .close(let problem):
            await answerAndClose(
                HTTPRefusal(status: .serviceUnavailable, kind: .unavailable, message: problem), version: head.version)
        case .wait:
            preconditionFailure("a wait is resolved above")
        }
    }

    /// The text an approval binds to and approvers read: method and canonical target, and for a body its digest
    /// (so the approval covers exactly that body) with a masked excerpt.
    private func subject(_ facts: HTTPRequestFacts, kubernetes: KubernetesRequestAttributes?, body: ByteBuffer)
        -> String
    {
        let summary = kubernetes.map { "\($0.summary)\n\(facts.summary)" } ?? facts.summary
        guard body.readableBytes > 0 else { return summary }
        let bytes = Array(body.readableBytesView)
        let digest = Array(SHA256.hash(data: bytes)).hexString
        let excerpt = String(decoding: bytes.prefix(1024), as: UTF8.self)
        let shown = parts.masker?.mask(excerpt).text ?? excerpt
        return "\(summary)\nbody sha256:\(digest) (\(bytes.count) bytes)\n\(shown)"
    }

    // MARK: Forwarding

    private func forward(_ facts: HTTPRequestFacts, headers: HTTPHeaders, body: ByteBuffer, head: HTTPRequestHead)
        async
    {
        var outgoing = HTTPClientRequest(url: parts.target.url(for: facts.target))
        outgoing.method = head.method
        outgoing.headers = headers
        if let credential = parts.credential {
            outgoing.headers.replaceOrAdd(name: credential.name, value: credential.value)
        }
        if body.readableBytes > 0 { outgoing.body = .bytes(body) }
        outgoing.tlsConfiguration = parts.target.tls
        let response: HTTPClientResponse
        do {
            response = try await HTTPTargetClient.shared.execute(outgoing, deadline: .now() + .hours(24))
        } catch {
            let message = "cannot reach \(tunnel.resource.name): \(error)"
            parts.reporter.error(code: "target_unreachable", message: message)
            await respond(
                HTTPRefusal(status: .badGateway, kind: .targetUnreachable, message: message), version: head.version,
                close: !head.isKeepAlive)
            return
        }
        await relay(response, request: head)
    }

    /// Streams the target's response to the client: headers filtered and masked, the body masked as it flows
    /// (chunked, since masking changes its length), the first `record_bytes` of it recorded before they are sent.
    private func relay(_ response: HTTPClientResponse, request: HTTPRequestHead) async {
        var headers = HTTPHeaderPolicy.returnable(
            response.headers, targetOrigin: parts.target.origin, basePath: parts.target.basePath)
        let hasBody = request.method != .HEAD && response.status.mayHaveResponseBody
        var masking = HTTPBodyMasking(masker: hasBody ? parts.masker : nil, headers: headers)
        if case .refused(let why) = masking {
            await respond(
                HTTPRefusal(status: .badGateway, kind: .unmaskable, message: why), version: request.version,
                close: !request.isKeepAlive)
            return
        }
        var summary = MaskingSummary()
        if let masker = parts.masker {
            headers = HTTPHeaderMasking.mask(headers, masker, &summary)
        }
        var scrubber = HeldSecretScrubber(secrets: parts.heldSecrets)
        headers = scrubber.scrub(headers)
        if masking.changesLength || (hasBody && scrubber.isActive) { headers.remove(name: "content-length") }
        // HTTP/1.0 has no chunked coding: a body without a length ends only with the connection, even when the
        // client asked to keep it alive, or the next response would be read as the rest of this body.
        let unframed =
            hasBody && request.version.major == 1 && request.version.minor == 0
            && !headers.contains(name: "content-length")
        let closing = !request.isKeepAlive || unframed
        if closing { headers.replaceOrAdd(name: "Connection", value: "close") }
        let recorded: JSONValue = [
            "protocol": "http", "status": .int(Int64(response.status.code)), "headers": Self.recorded(headers),
        ]
        guard await recordOrEnd(.result, .down, recorded, what: "response", version: request.version) else { return }
        let channel = parts.client
        var recordedBytes = 0
        do {
            try await channel.writeAndFlush(
                HTTPServerResponsePart.head(
                    HTTPResponseHead(version: request.version, status: response.status, headers: headers))
            ).get()
            for try await chunk in response.body {
                let out = scrubber.feed(try masking.feed(chunk.readableBytesView))
                try await send(out, recorded: &recordedBytes)
            }
            try await send(scrubber.feed(try masking.finish()) + scrubber.finish(), recorded: &recordedBytes)
            summary.merge(masking.summary)
            try await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
        } catch {
            summary.merge(masking.summary)
            // Headers went out: the only honest way to say the body is incomplete is to end the connection.
            parts.logger.info("http response to \(request.method) \(request.uri) cut short: \(error)")
            if error is JSONStreamError || error is RecordingError {
                parts.reporter.error(code: "response_cut", message: "the response was cut short: \(error)")
            }
            channel.close(promise: nil)
        }
        if scrubber.removed > 0 {
            parts.reporter.error(
                code: "held_credential_reflected",
                message: "the target sent the held credential back \(scrubber.removed) time(s); it was removed")
        }
        if !summary.isEmpty { masked.withLock { $0.merge(summary) } }
        if closing { try? await channel.close() }
    }

    // MARK: Upgrades

    /// Relays a WebSocket handshake to the target on a connection of its own and, when the target switches
    /// protocols, splices the two connections into a frame relay that records every message and masks the
    /// target's. Extensions are not offered to the target: a compressed frame could be neither read nor masked.
    private func upgrade(_ facts: HTTPRequestFacts, headers: HTTPHeaders, head: HTTPRequestHead) async {
        var outgoing = headers
        outgoing.remove(name: "sec-websocket-extensions")
        outgoing.replaceOrAdd(name: "Host", value: parts.target.hostHeader)
        outgoing.replaceOrAdd(name: "Connection", value: "Upgrade")
        outgoing.replaceOrAdd(name: "Upgrade", value: "websocket")
        if let credential = parts.credential { outgoing.replaceOrAdd(name: credential.name, value: credential.value) }
        let handshake = HTTPRequestHead(
            version: .http1_1, method: .GET, uri: parts.target.basePath + facts.target.forwarded, headers: outgoing)
        let target: any Channel
        let answer: HTTPUpgradeDial.Answer
        do {
            (target, answer) = try await HTTPUpgradeDial.open(
                host: parts.target.host, port: parts.target.port, tls: parts.target.tls, on: parts.client.eventLoop,
                request: handshake)
        } catch {
            let message = "cannot open the upgrade to \(tunnel.resource.name): \(error)"
            parts.reporter.error(code: "target_unreachable", message: message)
            await answerAndClose(
                HTTPRefusal(status: .badGateway, kind: .targetUnreachable, message: message), version: head.version)
            return
        }
        var scrubber = HeldSecretScrubber(secrets: parts.heldSecrets)
        var returned = HTTPHeaderPolicy.returnable(
            answer.head.headers, targetOrigin: parts.target.origin, basePath: parts.target.basePath)
        returned = scrubber.scrub(returned)
        try? recorder.record(
            kind: .result, conn: connection, dir: .down,
            details: [
                "protocol": "http", "status": .int(Int64(answer.head.status.code)), "headers": Self.recorded(returned),
            ])
        guard answer.head.status == .switchingProtocols else {
            // The target declined: the client hears what it said, and the connection ends.
            let body = scrubber.feed(Array(answer.body.readableBytesView)) + scrubber.finish()
            returned.replaceOrAdd(name: "Content-Length", value: String(body.count))
            returned.replaceOrAdd(name: "Connection", value: "close")
            let channel = parts.client
            channel.write(
                HTTPServerResponsePart.head(
                    HTTPResponseHead(version: head.version, status: answer.head.status, headers: returned)),
                promise: nil)
            channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil)
            try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
            try? await channel.close()
            try? await target.close()
            return
        }
        returned.replaceOrAdd(name: "Connection", value: "Upgrade")
        returned.replaceOrAdd(name: "Upgrade", value: "websocket")
        let inspector = WebSocketFrameInspector(
            recorder: recorder, connection: connection, masker: parts.masker,
            subprotocol: answer.head.headers.first(name: "sec-websocket-protocol"))
        let reporter = parts.reporter
        target.closeFuture.whenComplete { _ in
            let summary = inspector.summary
            if !summary.isEmpty { reporter.masked(.object(summary.counts.mapValues { JSONValue.int(Int64($0)) })) }
        }
        do {
            try await WebSocketSplice.splice(
                client: parts.client, target: target,
                switching: HTTPResponseHead(version: head.version, status: .switchingProtocols, headers: returned),
                inspector: inspector
            ) { [self] bytes, up in
                self.counts.withLock { counts in
                    if up { counts.up += bytes } else { counts.down += bytes }
                }
            }.get()
        } catch {
            parts.logger.info("websocket splice failed: \(error)")
            parts.client.close(promise: nil)
            target.close(promise: nil)
        }
    }

    /// Records (up to the resource's `record_bytes`) and writes one piece of masked body.
    private func send(_ bytes: [UInt8], recorded: inout Int) async throws {
        guard !bytes.isEmpty else { return }
        if recorded < parts.target.recordBytes {
            let kept = bytes.prefix(parts.target.recordBytes - recorded)
            try recorder.recordData(kept, conn: connection, dir: .down)
            recorded += kept.count
        }
        counts.withLock { $0.down += bytes.count }
        try await parts.client.writeAndFlush(
            HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(bytes: bytes)))
        ).get()
    }

    // MARK: The broker's own answers

    private func answer(problem: HTTPRequestProblem, head: HTTPRequestHead) async {
        parts.reporter.error(code: problem.kind.rawValue, message: "\(head.method) \(head.uri): \(problem.message)")
        await respond(
            HTTPRefusal(status: problem.kind.status, kind: .badRequest, message: problem.message),
            version: head.version, close: !head.isKeepAlive || problem.endsConnection)
    }

    /// Answers a problem that ends the connection (found while reading the request) and closes it.
    func answerAndClose(_ problem: HTTPRequestProblem, version: HTTPVersion) async {
        parts.reporter.error(code: problem.kind.rawValue, message: problem.message)
        await answerAndClose(
            HTTPRefusal(status: problem.kind.status, kind: .badRequest, message: problem.message), version: version)
    }

    private func answerAndClose(_ refusal: HTTPRefusal, version: HTTPVersion) async {
        await respond(refusal, version: version, close: true)
    }

    private func respond(_ refusal: HTTPRefusal, version: HTTPVersion, close: Bool) async {
        let (head, body) = refusal.response(version: version, close: close, flavor: parts.target.flavor)
        try? recorder.record(
            kind: .result, conn: connection, dir: .down,
            details: [
                "protocol": "http", "status": .int(Int64(head.status.code)), "refusal": .string(refusal.kind.rawValue),
                "message": .string(refusal.message),
            ])
        let channel = parts.client
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(body)), promise: nil)
        try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil)).get()
        if close { try? await channel.close() }
    }

    // MARK: Recording

    /// Records one event, or — when the recording cannot take it — answers 503 and ends the connection, so nothing
    /// crosses unrecorded. Answers whether the exchange may go on.
    private func recordOrEnd(
        _ kind: RecordingKind, _ direction: RecordingDirection, _ details: JSONValue, what: String,
        version: HTTPVersion
    ) async -> Bool {
        do {
            try recorder.record(kind: kind, conn: connection, dir: direction, details: details)
            return true
        } catch {
            await answerAndClose(
                HTTPRefusal(
                    status: .serviceUnavailable, kind: .unavailable,
                    message: "the broker cannot record this \(what): \(error)"),
                version: version)
            return false
        }
    }

    private func requestDetails(_ facts: HTTPRequestFacts, headers: HTTPHeaders, body: ByteBuffer)
        -> [String: JSONValue]
    {
        // The query is data as surely as the body (`?email=...`): the recording keeps it masked too.
        let target = parts.masker?.mask(facts.target.forwarded).text ?? facts.target.forwarded
        var details: [String: JSONValue] = [
            "protocol": "http", "method": .string(facts.methods[0]), "target": .string(target),
            "headers": Self.recorded(masked(headers)), "body_bytes": .int(Int64(body.readableBytes)),
        ]
        if body.readableBytes > 0 {
            let kept = Array(body.readableBytesView.prefix(parts.target.recordBytes))
            let text = String(decoding: kept, as: UTF8.self)
            details["body"] = .string(parts.masker?.mask(text).text ?? text)
            if kept.count < body.readableBytes { details["body_truncated"] = true }
        }
        return details
    }

    private func masked(_ headers: HTTPHeaders) -> HTTPHeaders {
        guard let masker = parts.masker else { return headers }
        var ignored = MaskingSummary()
        return HTTPHeaderMasking.mask(headers, masker, &ignored)
    }

    private static func recorded(_ headers: HTTPHeaders) -> JSONValue {
        .array(headers.map { .array([.string($0.name), .string($0.value)]) })
    }
}
