import Foundation
import HoopCore
import Logging
import Masking
import MySQLWire
import NIOCore
import SQLAnalysis

/// Client → target: every command the client sends is recorded before it is forwarded, and on a guarded resource
/// every text the server would run — COM_QUERY, COM_STMT_PREPARE, and the commands that change what names mean
/// (COM_INIT_DB) or read a table (COM_FIELD_LIST) — is judged first, through the shared `StatementGuard` flow. A
/// refused command never reaches the target: the client gets an ERR packet in its place. Prepared statements are
/// judged at prepare, the only moment their text is known; one prepared under an approval runs once.
///
/// Commands the broker cannot police (replication, binlog dumps, anything it does not know) are refused on every
/// resource. COM_CHANGE_USER is never a way to become someone else: the broker checks the session password again
/// and resets the target session instead. KILL names the broker's connection ids, which are mapped to this
/// session's target threads.
final class MySQLStatementStage: RelayStage, @unchecked Sendable {
    typealias Inbound = MySQLPacket
    typealias Outbound = MySQLPacket

    private let recorder: SessionRecorder
    private let connection: Int64
    private let logger: Logger
    private let conversation: MySQLConversation
    private let statements: StatementGuard<MySQLGuardrailAdapter>
    /// On a masked resource, what the client sends is masked in the recording too (the target gets it as sent).
    private let masker: ValueMasker?
    private let connectionIDs: MySQLConnectionIDs
    /// How the server reads statements, which a session reset forgets.
    private let modes: MySQLSessionModes?
    private let sessionID: String
    /// The session password and the greeting's nonce, for COM_CHANGE_USER.
    private let login: (password: String, nonce: [UInt8])
    /// Set by `forwardApproved` for the verdict being built, so the bookkeeping knows an approval let it through.
    private var approvedForward = false

    init(
        recorder: SessionRecorder,
        connection: Int64,
        conversation: MySQLConversation,
        judge: StatementJudge,
        gate: GuardrailGate?,
        eventLoop: any EventLoop,
        masker: ValueMasker?,
        connectionIDs: MySQLConnectionIDs,
        modes: MySQLSessionModes?,
        sessionID: String,
        login: (password: String, nonce: [UInt8]),
        logger: Logger
    ) {
        self.recorder = recorder
        self.connection = connection
        self.conversation = conversation
        statements = StatementGuard(judge: judge, gate: gate, eventLoop: eventLoop, words: MySQLGuardrailAdapter())
        self.masker = masker
        self.connectionIDs = connectionIDs
        self.modes = modes
        self.sessionID = sessionID
        self.login = login
        self.logger = logger
    }

    func process(_ packet: MySQLPacket) throws -> RelayVerdict<MySQLPacket, MySQLPacket> {
        if conversation.uploadingFile {
            try recorder.recordData(packet.payload.readableBytesView, conn: connection, dir: .up)
            if packet.payload.readableBytes == 0 { conversation.uploadingFile = false }
            return .forward([packet])
        }
        let command = try MySQLCommand(parsing: packet.payload)
        return try sending(decide(command, packet), command: command)
    }

    private func decide(_ command: MySQLCommand, _ packet: MySQLPacket) throws -> RelayVerdict<
        MySQLPacket, MySQLPacket
    > {
        switch command {
        case .query(let bytes):
            guard let sql = command.text else { return try unreadable(bytes, packet) }
            switch MySQLKillStatement.read(sql) {
            case .notKill: break
            case .kill(let kill): return try self.kill(kill, sql: sql, packet)
            case .unmappable: return try self.kill(nil, sql: sql, packet)
            }
            return try judged(packet, sql, ["protocol": "simple", "sql": .string(sql)])
        case .statementPrepare(let bytes):
            guard let sql = String(validating: bytes.readableBytesView, as: UTF8.self) else {
                return try unreadable(bytes, packet)
            }
            return try judged(packet, sql, ["protocol": "prepared", "step": "prepare", "sql": .string(sql)])
        case .statementExecute(let id, _, let remainder):
            return try execute(id, remainder, packet)
        case .statementSendLongData(let id, let parameter, let data):
            conversation.statements[id]?.longData.insert(Int(parameter))
            try record(
                [
                    "protocol": "prepared", "step": "long_data", "statement": .int(Int64(id)),
                    "parameter": .int(Int64(parameter)), "data": Self.cell(data, textual: true),
                ], nil)
            return .forward([packet])
        case .initDB(let database):
            let sql = "USE \(MySQLIdentifier.quoted(database))"
            return try judged(
                packet, sql, ["protocol": "command", "command": "init_db", "database": .string(database)])
        case .fieldList(let table, _):
            let sql = "SHOW COLUMNS FROM \(MySQLIdentifier.quoted(table))"
            return try judged(packet, sql, ["protocol": "command", "command": "field_list", "table": .string(table)])
        case .processKill(let id):
            return try self.kill(MySQLKillStatement(scope: .connection, id: id), sql: "KILL \(id)", packet)
        case .changeUser(let raw):
            return try changeUser(raw, packet)
        case .resetConnection:
            modes?.sessionReset()
            try record(["protocol": "command", "command": "reset_connection"], nil)
            return .forward([packet])
        case .ping, .quit, .statistics, .setOption, .statementClose, .statementReset,
            .statementFetch:
            try record(["protocol": "command", "command": .string(Self.name(of: command))], nil)
            return .forward([packet])
        case .debug, .other:
            let name = Self.name(of: command)
            try record(["protocol": "command", "command": .string(name), "refused": "unsupported command"], nil)
            return .answer([
                error(
                    .unsupported, "the broker does not relay \(name): it cannot police what it does", to: packet)
            ])
        }
    }

    func failed(_ error: any Error) {
        logger.error("client connection failed", metadata: ["error": "\(error)"])
    }

    /// A client that sends what the broker cannot decode gets a protocol error before the close; one whose
    /// statement could not be audited or recorded is told so.
    func farewell(after error: any Error) -> RelayVerdict<MySQLPacket, MySQLPacket> {
        let packet: MySQLErrPacket
        if let unavailable = error as? GuardrailUnavailable {
            packet = MySQLBrokerError.brokerFailure.packet(unavailable.message)
        } else if let recording = error as? RecordingError {
            packet = MySQLBrokerError.brokerFailure.packet(
                "the broker cannot record this session, so it ends it: \(recording)")
        } else {
            packet = MySQLBrokerError.protocolError.packet("the broker could not read the client's packet: \(error)")
        }
        return .answer([MySQLPacket(sequenceID: 1, payload: packet.payload)])
    }

    // MARK: Policy

    private func judged(_ packet: MySQLPacket, _ sql: String, _ details: [String: JSONValue]) throws -> RelayVerdict<
        MySQLPacket, MySQLPacket
    > {
        try statements.judged(packet, sql, host: self) { judgement in
            try self.record(details, judgement)
        }
    }

    /// Text the broker cannot read as the server will (not UTF-8) runs only where nothing is judged.
    private func unreadable(_ bytes: ByteBuffer, _ packet: MySQLPacket) throws -> RelayVerdict<
        MySQLPacket, MySQLPacket
    > {
        let details: [String: JSONValue] = ["protocol": "simple", "sql": Self.cell(bytes, textual: false)]
        guard statements.isGuarded else {
            try record(details, nil)
            return .forward([packet])
        }
        let judgement = GuardrailJudgement.block(
            rule: "unreadable_sql",
            reason: "the statement is not UTF-8, so the broker cannot read it as the server will")
        try record(details, judgement)
        return statements.verdict(for: packet, statement: "(statement that is not UTF-8)", judgement, host: self)
    }

    /// An execution of a prepared statement: recorded with its text and parameters; one prepared under an approval
    /// runs once.
    private func execute(_ id: UInt32, _ remainder: ByteBuffer, _ packet: MySQLPacket) throws -> RelayVerdict<
        MySQLPacket, MySQLPacket
    > {
        let known = conversation.statements[id]
        var details: [String: JSONValue] = [
            "protocol": "prepared", "step": "execute", "statement": .int(Int64(id)),
            "sql": known.map { .string($0.sql) } ?? .null,
        ]
        if let parameters = parameters(of: id, remainder) { details["parameters"] = .array(parameters) }
        if let known, known.approvedOnce, known.executions > 0 {
            let reason = "the approval covered one execution of this statement; prepare it again to ask again"
            details["refused"] = .string(reason)
            try record(details, nil)
            return .answer([error(.refused, reason, to: packet)])
        }
        conversation.statements[id]?.executions += 1
        conversation.statements[id]?.longData = []
        try record(details, nil)
        return .forward([packet])
    }

    /// The execute's parameter values as recorded: text for strings, tagged base64 otherwise; nil when they cannot
    /// be read (the target then answers the execute with its own error).
    private func parameters(of id: UInt32, _ remainder: ByteBuffer) -> [JSONValue]? {
        guard let prepared = conversation.tracker.statements[id], let known = conversation.statements[id] else {
            return nil
        }
        guard
            let parsed = try? MySQLExecuteParameters.parse(
                remainder, paramCount: prepared.parameters.count, previousTypes: known.parameterTypes,
                longDataParameters: known.longData)
        else { return nil }
        conversation.statements[id]?.parameterTypes = parsed.types
        return zip(parsed.values, parsed.types).map { value, type in
            value.map { Self.cell($0, textual: type.type.isTextual) } ?? .null
        }
    }

    /// KILL with one of the broker's connection ids: rewritten to the target thread of this session's connection.
    private func kill(_ kill: MySQLKillStatement?, sql: String, _ packet: MySQLPacket) throws -> RelayVerdict<
        MySQLPacket, MySQLPacket
    > {
        guard let kill, let target = connectionIDs.target(kill.id, sessionID: sessionID) else {
            let reason =
                "KILL takes a connection id a client of this session was given (KILL [QUERY] <id>); this names none"
            try record(["protocol": "simple", "sql": .string(sql), "refused": .string(reason)], nil)
            return .answer([error(.refused, reason, to: packet)])
        }
        target.cancelHeld()
        let rewritten = kill.rewritten(to: target.threadID)
        var payload = ByteBuffer(integer: MySQLCommand.query(ByteBuffer()).code)
        payload.writeString(rewritten)
        return try judged(
            MySQLPacket(sequenceID: packet.sequenceID, payload: payload), sql,
            ["protocol": "simple", "sql": .string(sql)])
    }

    /// COM_CHANGE_USER: the client proves the session password again and the target session is reset; it never
    /// changes who the broker is on the target.
    private func changeUser(_ raw: ByteBuffer, _ packet: MySQLPacket) throws -> RelayVerdict<
        MySQLPacket, MySQLPacket
    > {
        let proof =
            (try? MySQLChangeUser(parsing: raw, capabilities: conversation.tracker.capabilities))?.authResponse ?? []
        let proven =
            MySQLAuth.verifyNativePassword(response: proof, nonce: login.nonce, password: login.password)
            || MySQLAuth.verifyCachingSHA2Scramble(response: proof, nonce: login.nonce, password: login.password)
        guard proven else {
            try record(["protocol": "command", "command": "change_user", "refused": "wrong session password"], nil)
            return .answer([
                error(.accessDenied, "change user: the password is not this session's", to: packet)
            ])
        }
        try record(["protocol": "command", "command": "change_user"], nil)
        modes?.sessionReset()
        let reset = MySQLCommand.resetConnection
        conversation.sent(reset, sql: nil, approvedOnce: false)
        return .forward([MySQLPacket(sequenceID: packet.sequenceID, payload: reset.payload)])
    }

    /// Keeps the conversation in step with what actually reaches the target, including what is forwarded later,
    /// once a held statement is decided.
    private func sending(_ verdict: RelayVerdict<MySQLPacket, MySQLPacket>, command: MySQLCommand) -> RelayVerdict<
        MySQLPacket, MySQLPacket
    > {
        switch verdict {
        case .forward(let packets):
            let approved = approvedForward
            approvedForward = false
            guard !packets.isEmpty else { return verdict }
            if case .changeUser = command { return verdict }
            // What is forwarded is the command itself, or (for KILL) a query in its place, which the tracker
            // follows the same way: no need to parse the packet a second time.
            let sql: String? =
                if case .statementPrepare(let bytes) = command {
                    String(decoding: bytes.readableBytesView, as: UTF8.self)
                } else { nil }
            conversation.sent(command, sql: sql, approvedOnce: approved)
            return verdict
        case .answer:
            return verdict
        case .hold(let notify, let decision):
            return .hold(notify: notify, decision: decision.map { self.sending($0, command: command) })
        }
    }

    private func error(_ kind: MySQLBrokerError, _ message: String, to packet: MySQLPacket) -> MySQLPacket {
        MySQLPacket(sequenceID: packet.sequenceID &+ 1, payload: kind.packet(message).payload)
    }

    // MARK: Recording

    private func record(_ details: [String: JSONValue], _ judgement: GuardrailJudgement?) throws {
        var details = details
        if let masker {
            details = RecordedStatement.masked(details, masker) { SQLAnalysis.redactingLiterals($0, dialect: .mysql) }
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

    /// A value as text when it is textual and valid UTF-8, otherwise tagged base64.
    static func cell(_ value: ByteBuffer, textual: Bool) -> JSONValue {
        if textual, let text = String(validating: value.readableBytesView, as: UTF8.self) {
            return .string(text)
        }
        return ["base64": .string(Data(value.readableBytesView).base64EncodedString())]
    }

    /// The command's name in recordings.
    static func name(of command: MySQLCommand) -> String {
        switch command {
        case .query: "query"
        case .initDB: "init_db"
        case .ping: "ping"
        case .quit: "quit"
        case .fieldList: "field_list"
        case .statementPrepare: "stmt_prepare"
        case .statementExecute: "stmt_execute"
        case .statementSendLongData: "stmt_send_long_data"
        case .statementClose: "stmt_close"
        case .statementReset: "stmt_reset"
        case .statementFetch: "stmt_fetch"
        case .resetConnection: "reset_connection"
        case .changeUser: "change_user"
        case .processKill: "process_kill"
        case .setOption: "set_option"
        case .statistics: "statistics"
        case .debug: "debug"
        case .other(let code, _): "command 0x\(String(code, radix: 16))"
        }
    }
}

extension MySQLStatementStage: StatementGuardHost {
    /// An approved prepare is good for one execution.
    func forwardApproved(_ message: MySQLPacket) -> RelayVerdict<MySQLPacket, MySQLPacket> {
        approvedForward = true
        return .forward([message])
    }

    /// MySQL has no asynchronous notices; a held statement just waits.
    func notice(_ reply: MySQLErrPacket, for message: MySQLPacket) -> MySQLPacket {
        MySQLPacket(sequenceID: message.sequenceID &+ 1, payload: reply.payload)
    }

    /// The client gets the ERR packet in the command's place; the target never sees it.
    func refuse(_ message: MySQLPacket, reply: MySQLErrPacket, text: String, approval: Int64?) throws -> RelayVerdict<
        MySQLPacket, MySQLPacket
    > {
        try record(["refused": .string(text), "approval": approval.map { .int($0) } ?? .null], nil)
        return .answer([MySQLPacket(sequenceID: message.sequenceID &+ 1, payload: reply.payload)])
    }
}
