import Foundation
import HoopCore
import Logging
import Masking
import NIOCore
import PostgresWire

/// Client → target: every statement the client sends — simple queries, Parse and Bind of the extended protocol,
/// function calls, COPY data — is recorded before it is forwarded, and on a guarded resource judged first. A
/// blocked statement, or one whose approval is denied, is refused through `PostgresRefusals` (the target never runs
/// it); one that needs approval is held — the client gets a notice naming the request — and forwarded once
/// approved. Prepared statements are judged at Parse, the only moment their text is known.
final class PostgresStatementStage: RelayStage, @unchecked Sendable {
    typealias Inbound = PostgresFrontendMessage
    typealias Outbound = PostgresBackendMessage

    private let recorder: SessionRecorder
    private let connection: Int64
    private let logger: Logger
    private let clock: PostgresStatementClock
    private let gate: StatementGate?
    private let refusals: PostgresRefusals
    private let eventLoop: any EventLoop
    /// On a masked resource, what the client sends is masked in the recording too (the target gets it as sent).
    private let masker: ValueMasker?

    init(
        recorder: SessionRecorder,
        connection: Int64,
        clock: PostgresStatementClock,
        gate: StatementGate?,
        refusals: PostgresRefusals,
        eventLoop: any EventLoop,
        masker: ValueMasker?,
        logger: Logger
    ) {
        self.masker = masker
        self.recorder = recorder
        self.connection = connection
        self.clock = clock
        self.gate = gate
        self.refusals = refusals
        self.eventLoop = eventLoop
        self.logger = logger
    }

    func process(_ message: PostgresFrontendMessage) throws -> RelayVerdict<
        PostgresFrontendMessage, PostgresBackendMessage
    > {
        switch message {
        case .query, .execute, .sync, .functionCall:
            clock.requestSent()
        default:
            break
        }
        switch message {
        case .query(let sql):
            return try judged(message, sql) { ["protocol": "simple", "sql": .string(sql)] }
        case .parse(let parse):
            return try judged(message, parse.query) {
                [
                    "protocol": "extended", "step": "parse", "statement": .string(parse.name),
                    "sql": .string(parse.query),
                ]
            }
        case .bind(let bind):
            let parameters: [JSONValue] = bind.parameters.enumerated().map { index, value in
                Self.cell(value, format: bind.parameterFormat(at: index))
            }
            try record(
                [
                    "protocol": "extended", "step": "bind", "statement": .string(bind.statement),
                    "portal": .string(bind.portal), "parameters": .array(parameters),
                ], nil)
        case .functionCall(let call):
            // A fast-path call names its function by OID only: nothing a guardrail can read.
            let judgement: StatementJudgement =
                gate?.isGuarded == true
                ? .block(
                    rule: "function_call_protocol",
                    reason: "fast-path function calls cannot be inspected on a guarded resource")
                : .allow
            try record(["protocol": "function_call", "call": .string("\(call)")], judgement)
            return verdict(for: message, statement: "function call \(call)", judgement)
        case .copyData(let data):
            try recorder.record(kind: .data, conn: connection, dir: .up, data: Array(data.readableBytesView))
        default:
            break
        }
        return .forward([message])
    }

    func failed(_ error: any Error) {
        logger.error("client connection failed", metadata: ["error": "\(error)"])
    }

    /// A client that sends what the broker cannot decode gets a protocol-violation error before the close; one
    /// whose statement could not be audited or recorded is told so.
    func farewell(after error: any Error) -> RelayVerdict<PostgresFrontendMessage, PostgresBackendMessage> {
        if let unavailable = error as? GateUnavailable {
            return .answer([.fatal(sqlState: "58000", message: unavailable.message)])
        }
        if let recording = error as? RecordingError {
            return .answer([.recordingFailed(recording)])
        }
        return .answer([.fatal(sqlState: "08P01", message: "the broker could not read the client's message: \(error)")])
    }

    // MARK: Policy

    /// Texts longer than this are analysed off the event loop, so one huge statement cannot stall the other
    /// connections sharing the loop while it is lexed.
    static let inlineAnalysisLimit = 64 * 1024

    /// Judges `sql`, records the message with the judgement, and decides its fate.
    private func judged(
        _ message: PostgresFrontendMessage, _ sql: String, details: @escaping () -> [String: JSONValue]
    ) throws -> RelayVerdict<PostgresFrontendMessage, PostgresBackendMessage> {
        guard let gate, gate.isGuarded else {
            try record(details(), nil)
            return .forward([message])
        }
        guard sql.utf8.count > Self.inlineAnalysisLimit else {
            let judgement = gate.judge(sql)
            try record(details(), judgement)
            return verdict(for: message, statement: sql, judgement)
        }
        let decision = eventLoop.makeFutureWithTask { gate.judge(sql) }.flatMapThrowing { judgement in
            try self.record(details(), judgement)
            return self.verdict(for: message, statement: sql, judgement)
        }
        return .hold(notify: [], decision: decision)
    }

    private func verdict(for message: PostgresFrontendMessage, statement: String, _ judgement: StatementJudgement)
        -> RelayVerdict<PostgresFrontendMessage, PostgresBackendMessage>
    {
        guard let gate else { return .forward([message]) }
        switch judgement {
        case .allow:
            return .forward([message])
        case .block(let rule, let reason):
            let decision = eventLoop.makeFutureWithTask { await gate.block(statement, rule: rule, reason: reason) }
                .flatMapThrowing { try self.verdict(for: message, $0) }
            return .hold(notify: [], decision: decision)
        case .requireApproval(let rule, let reason, let requirement):
            let decision = eventLoop.makeFutureWithTask {
                await gate.requestApproval(statement, rule: rule, reason: reason, requirement: requirement)
            }.flatMapThrowing { outcome -> RelayVerdict<PostgresFrontendMessage, PostgresBackendMessage> in
                guard case .held(let request) = outcome else { return try self.verdict(for: message, outcome) }
                let decided = self.eventLoop.makeFutureWithTask {
                    await gate.awaitDecision(request, statement: statement)
                }.flatMapThrowing { try self.verdict(for: message, $0) }
                return .hold(notify: [Self.heldNotice(request, rule: rule, reason: reason)], decision: decided)
            }
            return .hold(notify: [], decision: decision)
        }
    }

    /// The verdict for a gate outcome. Runs on the connection's event loop, where the recorder and refusals live.
    private func verdict(for message: PostgresFrontendMessage, _ outcome: GateOutcome) throws
        -> RelayVerdict<PostgresFrontendMessage, PostgresBackendMessage>
    {
        switch outcome {
        case .run:
            return .forward([message])
        case .refused(let refusal):
            try recordRefusal(refusal.message, approval: refusal.approval)
            let error = PostgresRefusals.error(
                sqlState: ApprovalSignal.refusedSQLState, message: refusal.message, approval: refusal.approval,
                hint: nil)
            return .forward([refusals.substitute(message, refusal: error)])
        case .pending(let request):
            let text =
                "statement needs approval \(request.id) (\(request.minApprovals) from "
                + "\(request.approverGroups.joined(separator: ", "))); not waiting"
            try recordRefusal(text, approval: request.id)
            let error = PostgresRefusals.error(
                sqlState: ApprovalSignal.pendingSQLState, message: text, approval: request.id,
                hint: "an approver runs `\(request.info.approveCommand)`; then run it again with --approval "
                    + "\(request.id)")
            return .forward([refusals.substitute(message, refusal: error)])
        case .held(let request):
            // `awaitDecision` never answers `.held`; treat it as still undecided.
            return try verdict(
                for: message,
                .refused(GateRefusal(message: "approval \(request.id) is undecided", approval: request.id)))
        case .unavailable(let problem):
            throw GateUnavailable(message: "the broker cannot record its decision, so it ends the session: \(problem)")
        }
    }

    private static func heldNotice(_ request: ApprovalRecord, rule: String, reason: String) -> PostgresBackendMessage {
        PostgresRefusals.notice(
            sqlState: ApprovalSignal.waitingSQLState,
            message: "statement held for approval \(request.id) by guardrail '\(rule)' (\(reason)): "
                + "needs \(request.minApprovals) approval(s) from \(request.approverGroups.joined(separator: ", "))",
            approval: request.id,
            hint: "an approver runs `\(request.info.approveCommand)`; this statement runs as soon as it is approved"
        )
    }

    // MARK: Recording

    private func record(_ details: [String: JSONValue], _ judgement: StatementJudgement?) throws {
        var details = details
        if let masker {
            details = details.mapValues { Self.masked($0, masker) }
        }
        if let judgement, gate?.isGuarded == true {
            details["policy"] = .string(judgement.label)
            if let explanation = judgement.explanation {
                details["rule"] = .string(explanation.rule)
                details["policy_reason"] = .string(explanation.reason)
            }
        }
        try recorder.record(kind: .query, conn: connection, dir: .up, details: .object(details))
    }

    private func recordRefusal(_ message: String, approval: Int64?) throws {
        try recorder.record(
            kind: .query, conn: connection, dir: .up,
            details: ["refused": .string(message), "approval": approval.map { .int($0) } ?? .null])
    }

    /// Strings (statement text, text parameters) with the resource's detectors applied.
    private static func masked(_ value: JSONValue, _ masker: ValueMasker) -> JSONValue {
        switch value {
        case .string(let text): .string(masker.mask(text).text)
        case .array(let items): .array(items.map { masked($0, masker) })
        default: value
        }
    }

    /// A value as text when it is text and valid UTF-8, otherwise tagged base64; NULL stays null.
    static func cell(_ value: ByteBuffer?, format: PostgresFormat) -> JSONValue {
        guard let value else { return .null }
        // String(bytes:encoding:) refuses invalid UTF-8 rather than repairing it, so odd bytes are kept exactly.
        if format == .text, let text = String(bytes: value.readableBytesView, encoding: .utf8) {
            return .string(text)
        }
        return ["base64": .string(Data(value.readableBytesView).base64EncodedString())]
    }
}

/// The broker could not audit or store a policy decision; the connection ends (fail closed).
struct GateUnavailable: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
