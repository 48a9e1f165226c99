import HoopCore
import Logging
import Masking
import MySQLWire
import NIOCore

/// Target → client: what each command returned, as the client saw it — columns, rows up to `rowLimit`, the OK or
/// the error — recorded when the result completes. The response tracker says what each packet is; masking runs
/// before anything is forwarded or recorded, so neither the client nor the recording ever holds an original value.
/// A result that cannot be masked is cut short with an ERR packet and the rest of the response dropped.
final class MySQLResultStage: RelayStage, @unchecked Sendable {
    typealias Inbound = MySQLPacket
    typealias Outbound = MySQLPacket

    private let recorder: SessionRecorder
    private let connection: Int64
    private let rowLimit: Int
    private let logger: Logger
    private let conversation: MySQLConversation
    private let masker: MySQLResultMasker?
    private let reporter: ConnectionReporter
    private let modes: MySQLSessionModes?
    private let allowLocalInfile: Bool

    // Touched only on the relay's event loop.
    private var columns: [String] = []
    private var rows: [JSONValue] = []
    private var rowCount = 0
    /// The rest of the current response is dropped: the broker refused part of it.
    private var dropping = false

    init(
        recorder: SessionRecorder,
        connection: Int64,
        rowLimit: Int,
        conversation: MySQLConversation,
        masker: MySQLResultMasker?,
        reporter: ConnectionReporter,
        modes: MySQLSessionModes?,
        allowLocalInfile: Bool,
        logger: Logger
    ) {
        self.recorder = recorder
        self.connection = connection
        self.rowLimit = rowLimit
        self.conversation = conversation
        self.masker = masker
        self.reporter = reporter
        self.modes = modes
        self.allowLocalInfile = allowLocalInfile
        self.logger = logger
    }

    func process(_ packet: MySQLPacket) throws -> RelayVerdict<MySQLPacket, MySQLPacket> {
        let answering = conversation.tracker.currentCommand
        let meaning = try conversation.tracker.received(packet)
        let forwarded = try observe(meaning, packet, answering: answering)
        if conversation.tracker.currentCommand == nil {
            // The response is complete: the next one starts from the target's own numbering.
            conversation.sequenceShift = 0
            dropping = false
        }
        return .forward(forwarded)
    }

    /// Masks, records and renumbers one packet; returns what the client gets.
    private func observe(_ meaning: MySQLServerPacket, _ packet: MySQLPacket, answering: MySQLCommand?) throws
        -> [MySQLPacket]
    {
        if dropping {
            conversation.sequenceShift &-= UInt8(truncatingIfNeeded: packet.fragmentCount)
            return []
        }
        var out = packet
        switch meaning {
        case .columnCount:
            masker?.resultStarted()
            columns = []
        case .columnDefinition(let column, _):
            if let masker {
                let shown = masker.column(column)
                if shown != column { out.payload = shown.payload }
            }
            if case .statementPrepare = answering {} else { columns.append(column.name) }
        case .textRow(let row):
            var values = row.values
            if let masked = masker?.textRow(row) {
                out.payload = masked.payload
                values = masked.values
            }
            keep(values.map { $0.map { MySQLStatementStage.cell($0, textual: true) } ?? .null })
        case .binaryRow(let row):
            var values = row.values
            if let masker {
                switch masker.binaryRow(row, sequenceID: packet.sequenceID) {
                case .row(let masked, let maskedValues):
                    if let masked { out = masked }
                    values = maskedValues
                case .refuse(let reason):
                    return try refuseRest(reason, at: packet)
                }
            }
            keep(Self.recorded(values, columns: conversation.tracker.currentColumns))
        case .ok(let ok):
            try follow(ok)
            try finish(["tag": .string(Self.tag(ok))])
        case .endOfRows(let status, let warnings):
            modes?.serverStatus(status.rawValue)
            if !columns.isEmpty || rowCount > 0 {
                try finish(["tag": .string(warnings > 0 ? "OK, \(warnings) warning(s)" : "OK")])
            }
        case .error(let error):
            if case .statementPrepare = answering { conversation.prepareFailed() }
            let shown = masker?.error(error) ?? error
            if shown != error { out.payload = shown.payload }
            try finish([
                "error": [
                    "code": .string(shown.sqlState), "number": .int(Int64(shown.code)),
                    "message": .string(shown.message),
                ]
            ])
        case .prepareOK(let ok):
            conversation.prepared(ok.statementID)
            try recorder.record(
                kind: .result, conn: connection, dir: .down,
                details: ["tag": .string("PREPARED \(ok.statementID)"), "statement": .int(Int64(ok.statementID))])
        case .localInfileRequest(let file):
            guard allowLocalInfile else {
                throw MySQLLocalInfileRefused(file: file)
            }
            conversation.uploadingFile = true
            try recorder.record(
                kind: .result, conn: connection, dir: .down, details: ["local_infile": .string(file)])
        case .parameterDefinition, .endOfColumns, .statistics, .other:
            break
        }
        out.sequenceID = packet.sequenceID &+ conversation.sequenceShift
        conversation.sequenceShift &+= UInt8(truncatingIfNeeded: out.fragmentCount - packet.fragmentCount)
        return [out]
    }

    /// What the server reports about how it will read the next statement: NO_BACKSLASH_ESCAPES in the status flags,
    /// and `sql_mode` and `character_set_client` in session-state tracking.
    private func follow(_ ok: MySQLOKPacket) throws {
        guard let modes else { return }
        modes.serverStatus(ok.statusFlags.rawValue)
        guard let changes = ok.sessionStateChanges else { return }
        for (name, value) in try MySQLSessionStateChanges.systemVariables(in: changes) {
            switch name.lowercased() {
            case "sql_mode": modes.sqlModeReported(value)
            case "character_set_client": modes.characterSetReported(value)
            default: break
            }
        }
    }

    /// Replaces the packet with an ERR saying why, and drops the rest of the response.
    private func refuseRest(_ reason: String, at packet: MySQLPacket) throws -> [MySQLPacket] {
        let error = MySQLBrokerError.refused.packet("the broker withheld this result: \(reason)")
        let out = MySQLPacket(sequenceID: packet.sequenceID &+ conversation.sequenceShift, payload: error.payload)
        conversation.sequenceShift &+= UInt8(truncatingIfNeeded: out.fragmentCount &- packet.fragmentCount)
        dropping = true
        try finish([
            "error": [
                "code": .string(error.sqlState), "number": .int(Int64(error.code)),
                "message": .string(error.message),
            ]
        ])
        return [out]
    }

    private func keep(_ row: [JSONValue]) {
        rowCount += 1
        if rows.count < rowLimit { rows.append(.array(row)) }
    }

    func failed(_ error: any Error) {
        logger.error("target connection failed", metadata: ["error": "\(error)"])
    }

    /// When the target sends what the broker cannot decode, or its answer cannot be recorded, the client is told so
    /// instead of seeing a bare close.
    func farewell(after error: any Error) -> RelayVerdict<MySQLPacket, MySQLPacket> {
        let packet: MySQLErrPacket
        if let recording = error as? RecordingError {
            packet = MySQLBrokerError.brokerFailure.packet(
                "the broker cannot record this session, so it ends it: \(recording)")
        } else if let refused = error as? MySQLLocalInfileRefused {
            packet = MySQLBrokerError.localInfileRefused.packet(refused.description)
        } else {
            packet = MySQLBrokerError.protocolError.packet(
                "the target sent a packet the broker could not read: \(error)")
        }
        return .forward([MySQLPacket(sequenceID: 1, payload: packet.payload)])
    }

    private func finish(_ outcome: [String: JSONValue]) throws {
        var details = outcome
        details["duration_us"] = .int(conversation.clock.completed())
        if let summary = masker?.takeSummary(), !summary.isEmpty {
            let counts = JSONValue.object(summary.counts.mapValues { .int(Int64($0)) })
            details["masking"] = counts
            reporter.masked(counts)
        }
        if !columns.isEmpty || rowCount > 0 {
            details["columns"] = .array(columns.map { .string($0) })
            details["rows"] = .array(rows)
            details["row_count"] = .int(Int64(rowCount))
            details["truncated"] = .bool(rowCount > rows.count)
        }
        try recorder.record(kind: .result, conn: connection, dir: .down, details: .object(details))
        if conversation.tracker.isIdle { conversation.clock.idle() }
        columns = []
        rows = []
        rowCount = 0
    }

    /// A binary row's values as recorded: text for textual columns, decimal digits for integers, tagged base64
    /// for the rest (dates, floats, bits), so a replay shows what the client read.
    static func recorded(_ values: [ByteBuffer?], columns: [MySQLColumnDefinition41]) -> [JSONValue] {
        values.enumerated().map { index, value in
            guard let value else { return .null }
            guard index < columns.count else { return MySQLStatementStage.cell(value, textual: false) }
            let column = columns[index]
            if let number = MySQLResultMasker.integerText(value, column: column) { return .string(number) }
            return MySQLStatementStage.cell(value, textual: column.type.isTextual)
        }
    }

    /// An OK as `mysql` words it.
    static func tag(_ ok: MySQLOKPacket) -> String {
        var tag = "OK, \(ok.affectedRows) row\(ok.affectedRows == 1 ? "" : "s") affected"
        if ok.warnings > 0 { tag += ", \(ok.warnings) warning(s)" }
        if !ok.info.isEmpty { tag += " (\(ok.info))" }
        return tag
    }
}

/// The target asked for a client file on a resource that does not allow LOAD DATA LOCAL INFILE. The broker never
/// offers the capability there, so only a misbehaving target gets here; the connection ends.
struct MySQLLocalInfileRefused: Error, CustomStringConvertible {
    var file: String
    var description: String {
        "the target asked for the client file '\(file)', but this resource does not allow LOAD DATA LOCAL INFILE"
    }
}
