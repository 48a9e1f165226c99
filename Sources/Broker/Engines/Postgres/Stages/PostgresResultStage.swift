import HoopCore
import Logging
import NIOCore
import PostgresWire

/// Target → client: what each statement returned, as the client saw it — columns, rows up to `rowLimit`, the
/// command tag or the error — recorded when the statement completes. Masking plugs in here, before the record and
/// the forward, so neither ever holds the original value.
final class PostgresResultStage: RelayStage, @unchecked Sendable {
    typealias Inbound = PostgresBackendMessage
    typealias Outbound = PostgresFrontendMessage

    private let recorder: SessionRecorder
    private let connection: Int64
    private let rowLimit: Int
    private let logger: Logger
    private let clock: PostgresStatementClock
    private let refusals: PostgresRefusals

    // Touched only on the relay's event loop.
    private var columns: [PostgresBackendMessage.FieldDescription] = []
    private var rows: [JSONValue] = []
    private var rowCount = 0

    init(
        recorder: SessionRecorder,
        connection: Int64,
        rowLimit: Int,
        clock: PostgresStatementClock,
        refusals: PostgresRefusals,
        logger: Logger
    ) {
        self.refusals = refusals
        self.recorder = recorder
        self.connection = connection
        self.rowLimit = rowLimit
        self.clock = clock
        self.logger = logger
    }

    func process(_ message: PostgresBackendMessage) throws -> RelayVerdict<
        PostgresBackendMessage, PostgresFrontendMessage
    > {
        switch message {
        case .rowDescription(let fields):
            columns = fields
        case .dataRow(let cells):
            rowCount += 1
            if rows.count < rowLimit {
                rows.append(
                    .array(
                        cells.enumerated().map { index, cell in
                            PostgresStatementStage.cell(
                                cell, format: index < columns.count ? columns[index].format : .text)
                        })
                )
            }
        case .commandComplete(let tag):
            try finish(["tag": .string(tag)])
        case .emptyQueryResponse:
            try finish(["tag": "EMPTY"])
        case .portalSuspended:
            try finish(["tag": "SUSPENDED"])
        case .errorResponse(let diagnostic):
            if let refusal = refusals.replacement(for: diagnostic), case .errorResponse(let shown) = refusal {
                try finish(["error": ["code": JSONValue(shown.sqlState), "message": JSONValue(shown.message)]])
                return .forward([refusal])
            }
            try finish(["error": ["code": JSONValue(diagnostic.sqlState), "message": JSONValue(diagnostic.message)]])
        case .copyData(let data):
            try recorder.record(kind: .data, conn: connection, dir: .down, data: Array(data.readableBytesView))
        case .readyForQuery:
            clock.idle()
        default:
            break
        }
        return .forward([message])
    }

    func failed(_ error: any Error) {
        logger.error("target connection failed", metadata: ["error": "\(error)"])
    }

    /// When the target sends what the broker cannot decode, the client is told so instead of seeing a bare close.
    func farewell(after error: any Error) -> RelayVerdict<PostgresBackendMessage, PostgresFrontendMessage> {
        .forward([.fatal(sqlState: "08P01", message: "the target sent a message the broker could not read: \(error)")])
    }

    private func finish(_ outcome: [String: JSONValue]) throws {
        var details = outcome
        details["duration_us"] = .int(clock.completed())
        if !columns.isEmpty || rowCount > 0 {
            details["columns"] = .array(columns.map { .string($0.name) })
            details["rows"] = .array(rows)
            details["row_count"] = .int(Int64(rowCount))
            details["truncated"] = .bool(rowCount > rows.count)
        }
        try recorder.record(kind: .result, conn: connection, dir: .down, details: .object(details))
        columns = []
        rows = []
        rowCount = 0
    }
}
