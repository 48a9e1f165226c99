import Foundation
import HoopCore
import Logging
import MCP
import Masking
import NIOCore

/// One agent connection to an `mcp` resource, message by message. From the agent: `initialize`, `ping`,
/// `tools/list` and `tools/call` (judged by the gate), cancellations; every other method is refused, since the
/// broker governs tools and nothing else (resources, prompts and completions could carry data past it). From the
/// upstream: answers, progress and list-changed notifications; its own requests (sampling, elicitation, roots) are
/// refused, never passed to the agent. Tool lists are filtered and pinned; a tool whose definition changed is shown
/// as pinned and its calls held for re-approval. With masking on, every string the upstream sends is masked.
actor MCPProxy {
    /// What an answer from the upstream answers.
    private enum Asked {
        case initialize
        case toolsList
        case toolCall(String)
        case other
    }

    struct Parts: Sendable {
        let upstream: any MCPUpstream
        let client: any Channel
        let judge: MCPToolJudge
        let gate: GuardrailGate
        let pins: MCPToolPinBook
        let target: MCPTarget
        let masker: ValueMasker?
        /// Also names the tunnel and connection the proxy serves.
        let reporter: ConnectionReporter
        let logger: Logger

        var tunnel: AdmittedTunnel { reporter.tunnel }
        var connection: Int64 { reporter.connection }
    }

    private let parts: Parts
    private var asked: [Value: Asked] = [:]
    /// The upstream's tools as last listed, by name; nil until listed.
    private var tools: [String: MCPToolDefinition]?
    /// Tools whose definition differs from the pin, and the pin agents are shown meanwhile.
    private var changed: [String: ToolPin] = [:]
    private var own: [Value: CheckedContinuation<[String: Value]?, Never>] = [:]
    private var ownCount = 0
    private let ownPrefix = "hoop-broker-\(UUID().uuidString.prefix(8))-"
    private(set) var traffic = TrafficCounts(up: 0, down: 0)

    init(_ parts: Parts) {
        self.parts = parts
    }

    // MARK: From the agent

    func fromClient(_ line: Data) async {
        traffic.up += line.count
        let message: MCPMessage
        do {
            message = try MCPMessage(line)
        } catch {
            reply(MCPMessage.error(id: nil, code: error.code, "the broker cannot read this message: \(error.message)"))
            return
        }
        switch message.kind {
        case .request(let id, let method):
            // An id still awaiting its answer is refused: the broker pairs each answer with what it answers by id,
            // so a reused id (a tools/call sent under a pending tools/list's id, say) would have the list read as a
            // call result, shown unfiltered and unpinned, or an initialize answer pass with every capability.
            guard asked[id] == nil else {
                reply(
                    MCPMessage.error(
                        id: id, code: JSONRPCCode.invalidRequest, "id \(Self.text(id)) is still awaiting its answer"))
                return
            }
            switch MCPMethod(rawValue: method) {
            case .initialize: await forward(message, asking: .initialize, id: id)
            case .ping: await forward(message, asking: .other, id: id)
            case .toolsList: await forward(message, asking: .toolsList, id: id)
            case .toolsCall: await call(message, id: id)
            default:
                record(.query, .up, ["method": .string(method), "refused": "not a tool method"])
                reply(
                    MCPMessage.error(
                        id: id, code: JSONRPCCode.methodNotFound,
                        "\(method) is not served: the broker passes the tools of an mcp resource and nothing else"))
            }
        case .notification(let method):
            if MCPMethod(rawValue: method)?.agentNotification == true { await parts.upstream.send(message.encoded) }
        case .response:
            break  // the broker never passes the upstream's requests on, so nothing of the agent's answers one
        }
    }

    /// Passes a request on in the order the agent sent it, noting what its answer will answer.
    private func forward(_ message: MCPMessage, asking: Asked, id: Value) async {
        asked[id] = asking
        await parts.upstream.send(message.encoded)
    }

    private func call(_ message: MCPMessage, id: Value) async {
        guard case .string(let name)? = message.params["name"] else {
            reply(MCPMessage.error(id: id, code: JSONRPCCode.invalidParams, "tools/call needs the tool's name"))
            return
        }
        var arguments: [String: Value] = [:]
        switch message.params["arguments"] {
        case .object(let given)?: arguments = given
        case nil, .null?: break
        default:
            reply(MCPMessage.error(id: id, code: JSONRPCCode.invalidParams, "tools/call arguments must be an object"))
            return
        }
        let argumentsText = Self.text(.object(arguments))
        do {
            try parts.tunnel.recorder.record(
                kind: .query, conn: parts.connection, dir: .up,
                details: [
                    "protocol": "mcp", "tool": .string(name), "arguments": .string(masked(argumentsText)),
                ])
        } catch {
            refuseAndClose(id, "the broker cannot record this call: \(error)")
            return
        }
        guard let definition = await knownTools()[name] else {
            reply(
                MCPMessage.error(
                    id: id, code: JSONRPCCode.invalidParams, "no tool '\(name)' on \(parts.tunnel.resource.name)"))
            return
        }
        let adapter = MCPGuardrailAdapter(tool: name)
        if let pin = changed[name] {
            let verdict = await parts.gate.answer(
                .requireApproval(
                    rule: "tool_changed",
                    reason: "tool '\(name)' changed upstream since it was pinned (\(pin.pinnedBy))",
                    requirement: parts.target.toolChangeApprovers),
                on: "mcp tool definition \(name) sha256:\(definition.fingerprint)\n\(definition.canonical)",
                with: adapter)
            guard case .forward = verdict else {
                deliver(verdict, id: id)
                return
            }
            await repin(definition)
        }
        let judgement = parts.judge.judge(tool: name, arguments: arguments)
        let verdict = await parts.gate.answer(
            judgement, on: "tools/call \(name) \(argumentsText)", with: adapter)
        guard case .forward = verdict else {
            deliver(verdict, id: id)
            return
        }
        asked[id] = .toolCall(name)
        await parts.upstream.send(message.encoded)
    }

    private func deliver(_ verdict: MCPCallVerdict, id: Value) {
        switch verdict {
        case .forward: break
        case .answer(let result):
            record(.result, .down, ["protocol": "mcp", "refused": .string(Self.text(result["structuredContent"]))])
            reply(MCPMessage.response(id: id, result: result))
        case .close(let problem):
            refuseAndClose(id, problem)
        }
    }

    private func refuseAndClose(_ id: Value, _ problem: String) {
        reply(MCPMessage.error(id: id, code: JSONRPCCode.refusedByBroker, problem))
        parts.client.close(promise: nil)
    }

    // MARK: From the upstream

    func fromUpstream(_ line: Data) async {
        guard let message = try? MCPMessage(line) else {
            parts.logger.warning("an mcp upstream sent an unreadable message; dropped")
            return
        }
        switch message.kind {
        case .response(let id):
            if let waiting = own.removeValue(forKey: id) {
                waiting.resume(returning: message.result)
                return
            }
            guard let what = asked.removeValue(forKey: id) else { return }
            await answer(message, to: what)
        case .request(let id, let method):
            record(.query, .down, ["method": .string(method), "refused": "server request"])
            await parts.upstream.send(
                MCPMessage.error(
                    id: id, code: JSONRPCCode.methodNotFound,
                    "\(method) is not passed on: the broker does not relay a server's requests to the agent"))
        case .notification(let method):
            guard let known = MCPMethod(rawValue: method), known.upstreamNotification else { return }
            if known == .toolsListChanged {
                tools = nil
                changed = [:]
            }
            send(masking: message)
        }
    }

    private func answer(_ message: MCPMessage, to what: Asked) async {
        guard var result = message.result else {
            send(masking: message)
            return
        }
        switch what {
        case .initialize:
            // Only the tools capability survives: the agent must not be invited to use what the broker refuses.
            if case .object(var capabilities)? = result["capabilities"] {
                capabilities = capabilities.filter { $0.key == "tools" }
                result["capabilities"] = .object(capabilities)
            }
            reply(mask(message.replacingResult(result)))
        case .toolsList:
            if case .array(let listed)? = result["tools"] {
                result["tools"] = .array(await review(listed))
            }
            reply(mask(message.replacingResult(result)))
        case .toolCall(let name):
            let shown = mask(message)
            record(
                .result, .down,
                [
                    "protocol": "mcp", "tool": .string(name),
                    "result": .string(String(decoding: shown.prefix(Self.recordedBytes), as: UTF8.self)),
                    "truncated": .bool(shown.count > Self.recordedBytes),
                ])
            reply(shown)
        case .other:
            send(masking: message)
        }
    }

    /// Result bytes kept in the recording per call.
    static let recordedBytes = 64 << 10

    // MARK: Tool lists and pins

    /// The upstream's tools, listing them first (as the broker itself) when no list has been seen. An upstream that
    /// does not answer (not initialized yet, say) leaves nothing known, so the next call asks again.
    private func knownTools() async -> [String: MCPToolDefinition] {
        if let tools { return tools }
        var listed: [Value] = []
        var cursor: Value?
        for page in 0..<20 {
            var params: [String: Value] = [:]
            if let cursor { params["cursor"] = cursor }
            guard let answer = await ask(.toolsList, params: params), case .array(let items)? = answer["tools"] else {
                if page == 0 { return [:] }
                break
            }
            listed += items
            guard let next = answer["nextCursor"], next != .null else { break }
            cursor = next
        }
        _ = await review(listed)
        return tools ?? [:]
    }

    /// Pins tools seen for the first time, notes changed ones, and returns the list agents see: hidden tools left
    /// out, changed ones as pinned.
    private func review(_ listed: [Value]) async -> [Value] {
        let resource = parts.tunnel.resource.name
        let pinned: [String: ToolPin]
        do {
            pinned = try await parts.pins.pins(resource: resource)
        } catch {
            parts.logger.error("mcp tool pins cannot be read: \(error)")
            tools = [:]
            return []
        }
        // Pages of a paginated list add to what is known; a list-changed notification starts it afresh.
        var known = tools ?? [:]
        var shown: [Value] = []
        for item in listed {
            guard let definition = MCPToolDefinition(item) else { continue }
            known[definition.name] = definition
            guard parts.judge.listed(definition.name) else { continue }
            guard let pin = pinned[definition.name] else {
                await pinFirst(definition)
                shown.append(definition.definition)
                continue
            }
            if pin.fingerprint == definition.fingerprint {
                changed[definition.name] = nil
                shown.append(definition.definition)
            } else {
                changed[definition.name] = pin
                await audit(
                    .mcpToolChanged, .deny,
                    [
                        "tool": .string(definition.name), "pinned": .string(pin.fingerprint),
                        "now": .string(definition.fingerprint),
                    ])
                if let old = MCPToolDefinition(pinned: pin.definition) { shown.append(old.definition) }
            }
        }
        tools = known
        return shown
    }

    private func pinFirst(_ definition: MCPToolDefinition) async {
        let pin = ToolPin(
            resource: parts.tunnel.resource.name, tool: definition.name, fingerprint: definition.fingerprint,
            definition: definition.canonical, pinnedAt: Date(),
            pinnedBy: "first use by \(parts.tunnel.session.email ?? parts.tunnel.session.subject)")
        do {
            try await parts.pins.pin(pin)
            await audit(.mcpToolPinned, .info, ["tool": .string(pin.tool), "fingerprint": .string(pin.fingerprint)])
        } catch {
            parts.logger.error("an mcp tool pin cannot be stored: \(error)")
        }
    }

    private func repin(_ definition: MCPToolDefinition) async {
        let pin = ToolPin(
            resource: parts.tunnel.resource.name, tool: definition.name, fingerprint: definition.fingerprint,
            definition: definition.canonical, pinnedAt: Date(), pinnedBy: "re-approved")
        do {
            try await parts.pins.pin(pin)
            changed[definition.name] = nil
            await audit(.mcpToolRepinned, .allow, ["tool": .string(pin.tool), "fingerprint": .string(pin.fingerprint)])
        } catch {
            parts.logger.error("an mcp tool pin cannot be stored: \(error)")
        }
    }

    /// Sends a request of the broker's own to the upstream and waits for its result (nil on an error answer or
    /// when the upstream goes away).
    private func ask(_ method: MCPMethod, params: [String: Value]) async -> [String: Value]? {
        ownCount += 1
        let id = Value.string(ownPrefix + String(ownCount))
        let request = MCPMessage.encode([
            "jsonrpc": "2.0", "id": id, "method": .string(method.rawValue), "params": .object(params),
        ])
        return await withCheckedContinuation { continuation in
            own[id] = continuation
            let upstream = parts.upstream
            Task { await upstream.send(request) }
            Task {
                try? await Task.sleep(for: Self.ownRequestPatience)
                self.unanswered(id)
            }
        }
    }

    /// How long the broker waits for the answer to a request of its own before the call that needed it goes on
    /// without (an upstream that ignores requests must not hang the agent).
    static let ownRequestPatience: Duration = .seconds(30)

    private func unanswered(_ id: Value) {
        own.removeValue(forKey: id)?.resume(returning: nil)
    }

    /// The upstream went away: nothing the broker asked will be answered.
    func upstreamEnded() {
        for waiting in own.values { waiting.resume(returning: nil) }
        own = [:]
    }

    // MARK: Writing, masking, recording

    private func reply(_ data: Data) {
        traffic.down += data.count
        parts.client.writeLine(data)
    }

    private func send(masking message: MCPMessage) {
        reply(mask(message))
    }

    /// A message from the upstream as the agent gets it: re-encoded from what the broker read (so a message the
    /// broker and the agent's JSON reader would read differently, duplicate keys say, cannot carry anything past
    /// the masker), with every string masked by the resource's detectors.
    private func mask(_ message: MCPMessage) -> Data {
        mask(message.members)
    }

    private func mask(_ members: [String: Value]) -> Data {
        guard let masker = parts.masker else { return MCPMessage.encode(members) }
        var summary = MaskingSummary()
        var members = members
        for (key, value) in members { members[key] = Self.masking(value, masker, &summary) }
        if !summary.isEmpty {
            parts.reporter.masked(.object(summary.counts.mapValues { JSONValue.int(Int64($0)) }))
        }
        return MCPMessage.encode(members)
    }

    static func masking(_ value: Value, _ masker: ValueMasker, _ summary: inout MaskingSummary) -> Value {
        switch value {
        case .string(let text):
            let masked = masker.mask(text)
            summary.merge(masked.findings)
            return .string(masked.text)
        case .array(let items):
            return .array(items.map { masking($0, masker, &summary) })
        case .object(let members):
            // Keys are text the agent reads too (a result keyed by email): masked like values. Two keys that mask
            // alike keep the first value; dropping one is the price of not showing either.
            var shown: [String: Value] = [:]
            for (key, member) in members.sorted(by: { $0.key < $1.key }) {
                let maskedKey = masker.mask(key)
                summary.merge(maskedKey.findings)
                if shown[maskedKey.text] == nil { shown[maskedKey.text] = masking(member, masker, &summary) }
            }
            return .object(shown)
        case .data(_, let bytes):
            // The SDK reads a string that is a whole data: URL as bytes and writes it back base64, so the detectors
            // must see the text it carries or a data: URL would take PII past them. Binary bytes cannot be judged.
            guard let text = String(bytes: bytes, encoding: .utf8) else { return value }
            let masked = masker.mask(text)
            guard !masked.findings.isEmpty else { return value }
            summary.merge(masked.findings)
            return .string(masked.text)
        case .int(let number):
            return maskingNumber(String(number), value, masker, &summary)
        case .double(let number):
            guard number.isFinite, number == number.rounded(), abs(number) < 1e18 else { return value }
            return maskingNumber(String(Int64(number)), value, masker, &summary)
        default:
            return value
        }
    }

    /// A number is data as much as a string (a card number sent as a JSON number): when the detectors find
    /// something in its digits it becomes the masked text; otherwise it stays a number.
    private static func maskingNumber(
        _ digits: String, _ value: Value, _ masker: ValueMasker, _ summary: inout MaskingSummary
    ) -> Value {
        let masked = masker.mask(digits)
        guard !masked.findings.isEmpty else { return value }
        summary.merge(masked.findings)
        return .string(masked.text)
    }

    private func masked(_ text: String) -> String {
        parts.masker?.mask(text).text ?? text
    }

    private func record(_ kind: RecordingKind, _ direction: RecordingDirection, _ details: [String: JSONValue]) {
        do {
            try parts.tunnel.recorder.record(
                kind: kind, conn: parts.connection, dir: direction, details: .object(details))
        } catch {
            parts.logger.error("mcp recording failed; closing the connection: \(error)")
            parts.client.close(promise: nil)
        }
    }

    private func audit(_ action: AuditAction, _ decision: AuditDecision, _ details: [String: JSONValue]) async {
        try? await parts.reporter.record(action, decision, details)
    }

    private static func text(_ value: Value?) -> String {
        guard let value, let bytes = try? JSONEncoder.mcpWire.encode(value) else { return "null" }
        return String(decoding: bytes, as: UTF8.self)
    }
}
