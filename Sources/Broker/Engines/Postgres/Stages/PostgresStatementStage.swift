import Foundation
import HoopCore
import Logging
import Masking
import NIOCore
import PostgresWire

/// Client → target: every statement the client sends — simple queries, Parse and Bind of the extended protocol,
/// function calls, COPY data — is recorded before it is forwarded, and on a guarded resource judged first by the
/// connection's `StatementJudge`. What the judgement leads to is the `GuardrailGate`'s flow, told to the client in
/// PostgreSQL's words by `PostgresGuardrailAdapter`: a refused statement never reaches the target, a held one is
/// forwarded once approved. Prepared statements are judged at Parse, the only moment their text is known.
final class PostgresStatementStage: RelayStage, @unchecked Sendable {
    typealias Inbound = PostgresFrontendMessage
    typealias Outbound = PostgresBackendMessage

    private let recorder: SessionRecorder
    private let connection: Int64
    private let logger: Logger
    private let clock: StatementClock
    /// The resource's guardrails for this connection; PREPARE names live as long as the connection, so the judge
    /// inside does too.
    private let statements: StatementGuard<PostgresGuardrailAdapter>
    private let refusals: PostgresRefusals
    /// On a masked resource, what the client sends is masked in the recording too (the target gets it as sent).
    private let masker: ValueMasker?
    /// Approved extended-protocol statements, each good for one Bind and one Execute.
    private var approvedStatements = PostgresApprovedStatements()
    /// On a masked resource, the extended-protocol requests result masking matches its answers against. It sees
    /// the client's own names: answers are matched by order, and the names only have to agree with each other.
    private let flow: PostgresExtendedFlow?

    init(
        recorder: SessionRecorder,
        connection: Int64,
        clock: StatementClock,
        judge: StatementJudge,
        gate: GuardrailGate?,
        refusals: PostgresRefusals,
        eventLoop: any EventLoop,
        masker: ValueMasker?,
        flow: PostgresExtendedFlow? = nil,
        logger: Logger
    ) {
        self.masker = masker
        self.flow = flow
        self.recorder = recorder
        self.connection = connection
        self.clock = clock
        statements = StatementGuard(judge: judge, gate: gate, eventLoop: eventLoop, words: PostgresGuardrailAdapter())
        self.refusals = refusals
        self.logger = logger
    }

    func process(_ sent: PostgresFrontendMessage) throws -> RelayVerdict<
        PostgresFrontendMessage, PostgresBackendMessage
    > {
        flow?.sent(sent)
        switch sent {
        case .query, .execute, .sync, .functionCall:
            clock.requestSent()
        default:
            break
        }
        let message: PostgresFrontendMessage
        switch approvedStatements.route(sent) {
        case .forward(let routed):
            message = routed
        case .refuse(let reason):
            try recorder.record(
                kind: .query, conn: connection, dir: .up, details: ["refused": .string(reason), "approval": .null])
            let error = PostgresRefusals.error(sqlState: .refusedByBroker, message: reason, approval: nil, hint: nil)
            return .forward([refusals.substitute(sent, refusal: error)])
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
            let judgement: GuardrailJudgement =
                statements.isGuarded
                ? .block(
                    rule: "function_call_protocol",
                    reason: "fast-path function calls cannot be inspected on a guarded resource")
                : .allow
            try record(["protocol": "function_call", "call": .string("\(call)")], judgement)
            return statements.verdict(for: message, statement: "function call \(call)", judgement, host: self)
        case .copyData(let data):
            try recorder.recordData(data.readableBytesView, conn: connection, dir: .up)
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
        if let unavailable = error as? GuardrailUnavailable {
            return .answer([.fatal(sqlState: .systemError, message: unavailable.message)])
        }
        if let recording = error as? RecordingError {
            return .answer([.recordingFailed(recording)])
        }
        return .answer([
            .fatal(sqlState: .protocolViolation, message: "the broker could not read the client's message: \(error)")
        ])
    }

    // MARK: Policy

    /// Judges `sql`, records the message with the judgement, and decides its fate.
    private func judged(
        _ message: PostgresFrontendMessage, _ sql: String, details: @escaping () -> [String: JSONValue]
    ) throws -> RelayVerdict<PostgresFrontendMessage, PostgresBackendMessage> {
        // Built here, on the loop: the details may read state only the loop may touch, and a large text is judged
        // off it.
        let recorded = details()
        return try statements.judged(message, sql, host: self) { judgement in
            try self.record(recorded, judgement)
        }
    }
}

extension PostgresStatementStage: StatementGuardHost {
    /// An approved Parse is good for one execution.
    func forwardApproved(_ message: PostgresFrontendMessage) -> RelayVerdict<
        PostgresFrontendMessage, PostgresBackendMessage
    > {
        if case .parse(let parse) = message {
            return .forward([approvedStatements.approved(parse, approval: nil)])
        }
        return .forward([message])
    }

    /// The target gets the refusal probe in the statement's place, so the protocol and the transaction stay in step.
    func refuse(_ message: PostgresFrontendMessage, reply: PostgresBackendMessage, text: String, approval: Int64?)
        throws -> RelayVerdict<PostgresFrontendMessage, PostgresBackendMessage>
    {
        var details: [String: JSONValue] = ["refused": .string(text), "approval": approval.map { .int($0) } ?? .null]
        if let masker { details = RecordedStatement.masked(details, masker, redact: PostgresLiteralRedactor.redact) }
        try recorder.record(kind: .query, conn: connection, dir: .up, details: .object(details))
        return .forward([refusals.substitute(message, refusal: reply)])
    }
}

extension PostgresStatementStage {
    // MARK: Recording

    private func record(_ details: [String: JSONValue], _ judgement: GuardrailJudgement?) throws {
        var details = details
        if let masker {
            details = RecordedStatement.masked(details, masker, redact: PostgresLiteralRedactor.redact)
        }
        if let judgement, statements.isGuarded {
            details["policy"] = .string(judgement.label)
            if let explanation = judgement.explanation {
                details["rule"] = .string(explanation.rule)
                details["policy_reason"] = .string(explanation.reason)
            }
        }
        try recorder.record(kind: .query, conn: connection, dir: .up, details: .object(details))
    }

    /// A value as text when it is text and valid UTF-8, otherwise tagged base64; NULL stays null.
    static func cell(_ value: ByteBuffer?, format: PostgresFormat) -> JSONValue {
        guard let value else { return .null }
        // String(validating:) refuses invalid UTF-8 rather than repairing it, so odd bytes are kept exactly.
        if format == .text, let text = String(validating: value.readableBytesView, as: UTF8.self) {
            return .string(text)
        }
        return ["base64": .string(Data(value.readableBytesView).base64EncodedString())]
    }
}
