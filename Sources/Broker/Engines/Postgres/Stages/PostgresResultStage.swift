import HoopCore
import Logging
import Masking
import NIOCore
import PostgresWire

/// Target → client: what each statement returned, as the client saw it — columns, rows up to `rowLimit`, the
/// command tag or the error — recorded when the statement completes. Masking runs first, so neither the client nor
/// the recording ever holds an original value; a statement that had values masked records (and audits) which
/// detectors and columns fired and how often, never what they found.
final class PostgresResultStage: RelayStage, @unchecked Sendable {
    typealias Inbound = PostgresBackendMessage
    typealias Outbound = PostgresFrontendMessage

    private let recorder: SessionRecorder
    private let connection: Int64
    private let rowLimit: Int
    private let logger: Logger
    private let clock: StatementClock
    private let refusals: PostgresRefusals
    private let masker: PostgresResultMasker?
    private let reporter: ConnectionReporter
    private let watch: PostgresSessionWatch

    // Touched only on the relay's event loop.
    private var columns: [PostgresBackendMessage.FieldDescription] = []
    private var rows: [JSONValue] = []
    private var rowCount = 0
    /// COPY TO STDOUT rows waiting to be recorded as one `data` event (a row per event made the recording the
    /// cost of a COPY); released at `copyBatchBytes`, at the next other message and at the end of each read burst.
    private var copyBatch: [PostgresBackendMessage] = []
    private var copyBytes: [UInt8] = []
    static let copyBatchBytes = 64 * 1024

    init(
        recorder: SessionRecorder,
        connection: Int64,
        rowLimit: Int,
        clock: StatementClock,
        refusals: PostgresRefusals,
        masker: PostgresResultMasker?,
        reporter: ConnectionReporter,
        watch: PostgresSessionWatch = PostgresSessionWatch(guarded: false),
        logger: Logger
    ) {
        self.watch = watch
        self.refusals = refusals
        self.masker = masker
        self.reporter = reporter
        self.recorder = recorder
        self.connection = connection
        self.rowLimit = rowLimit
        self.clock = clock
        self.logger = logger
    }

    func process(_ message: PostgresBackendMessage) throws -> RelayVerdict<
        PostgresBackendMessage, PostgresFrontendMessage
    > {
        var incoming = message
        if case .parameterStatus(let name, let value) = message, let fatal = watch.check(name: name, value: value) {
            throw PostgresSessionUnreadable(message: fatal)
        }
        var authoredByBroker = false
        if case .errorResponse(let diagnostic) = message, let refusal = refusals.replacement(for: diagnostic) {
            incoming = refusal
            authoredByBroker = true
        }
        let outgoing: [PostgresBackendMessage]
        switch masker?.process(incoming, authoredByBroker: authoredByBroker) ?? .pass(incoming) {
        case .pass(let one): outgoing = [one]
        case .replace(let several): outgoing = several
        case .drop: outgoing = []
        }
        var forward: [PostgresBackendMessage] = []
        for message in outgoing {
            if case .copyData(let data) = message {
                copyBatch.append(message)
                copyBytes.append(contentsOf: data.readableBytesView)
                if copyBytes.count >= Self.copyBatchBytes { forward += try drain() }
            } else {
                forward += try drain()
                try observe(message)
                forward.append(message)
            }
        }
        return .forward(forward)
    }

    /// Records the COPY rows kept back as one `data` event and hands them over for relaying.
    func drain() throws -> [PostgresBackendMessage] {
        guard !copyBatch.isEmpty else { return [] }
        defer {
            copyBatch.removeAll(keepingCapacity: true)
            copyBytes.removeAll(keepingCapacity: true)
        }
        try recorder.recordData(copyBytes, conn: connection, dir: .down)
        return copyBatch
    }

    /// Records what the client sees, statement by statement.
    private func observe(_ message: PostgresBackendMessage) throws {
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
            try finish([
                "error": ["code": JSONValue(diagnostic.sqlState?.rawValue), "message": JSONValue(diagnostic.message)]
            ])
        case .readyForQuery:
            clock.idle()
        default:
            break
        }
    }

    func failed(_ error: any Error) {
        logger.error("target connection failed", metadata: ["error": "\(error)"])
    }

    /// When the target sends what the broker cannot decode, or its answer cannot be recorded, the client is told so
    /// instead of seeing a bare close.
    func farewell(after error: any Error) -> RelayVerdict<PostgresBackendMessage, PostgresFrontendMessage> {
        if let recording = error as? RecordingError {
            return .forward([.recordingFailed(recording)])
        }
        if let unreadable = error as? PostgresSessionUnreadable {
            return .forward([.fatal(sqlState: .featureNotSupported, message: unreadable.message)])
        }
        return .forward([
            .fatal(
                sqlState: .protocolViolation, message: "the target sent a message the broker could not read: \(error)")
        ])
    }

    private func finish(_ outcome: [String: JSONValue]) throws {
        var details = outcome
        details["duration_us"] = .int(clock.completed())
        if let summary = masker?.takeSummary(), !summary.isEmpty {
            let counts = JSONValue.object(summary.counts.mapValues { .int(Int64($0)) })
            details["masking"] = counts
            reporter.masked(counts)
        }
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
