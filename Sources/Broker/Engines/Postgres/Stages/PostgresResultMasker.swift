import Masking
import NIOCore
import PostgresWire

/// Masks every message the target sends before it leaves the broker: result cells (text and binary), COPY data,
/// the free text of errors and notices, notification payloads, reported parameter values and fast-path function
/// results. Nothing passes unexamined; what cannot be masked in its form is refused with an ErrorResponse and the
/// rest of that result dropped up to ReadyForQuery, so the client never reads a malformed or half-masked value.
///
/// Column rules follow provenance: a cell is covered by the rule of the (table OID, attribute number) the
/// RowDescription reports, whatever the query labelled it. On a resource with column rules, a column without
/// trusted provenance (an expression, a literal, a view's column, a table created in the session) could hold any
/// ruled value, so it is withheld (`[REDACTED]`), and every other channel that can carry a queried value (error
/// text, notice text, notification payloads, free-text parameters, COPY, function-call results) is withheld or
/// refused. `hash` issues tokens only for values with provenance: a token for a value the query supplied itself
/// would let it test a guess.
///
/// One masker serves one connection, on its event loop.
final class PostgresResultMasker {
    /// What to do with one target message.
    enum Outcome {
        case pass(PostgresBackendMessage)
        case replace([PostgresBackendMessage])
        /// Drop it (the rest of a refused result).
        case drop
    }

    private var cells: PostgresCellMasker
    private let tokenless: ValueMasker
    private let provenance: PostgresColumnProvenance?
    /// Whether the resource has column rules: then every channel without provenance is withheld.
    private let strict: Bool
    private var columns: [Column]?
    /// A RowDescription answering Describe of a statement: its formats are placeholders until a Bind chooses.
    private var describingStatement = false
    private var copyStream: StreamMasker?
    private var refusing = false
    private var summary = MaskingSummary()

    /// A result column: its plan and how its cells travel.
    private struct Column {
        var name: String
        var plan: PostgresCellMasker.Plan
        var type: UInt32
        var format: PostgresFormat
    }

    /// The connection's extended-protocol requests in flight, for rows of portals the client did not describe.
    private let flow: PostgresExtendedFlow?

    init(masker: ValueMasker, provenance: PostgresColumnProvenance? = nil, flow: PostgresExtendedFlow? = nil) {
        self.flow = flow
        cells = PostgresCellMasker(masker: masker)
        tokenless = masker.withoutTokens
        self.provenance = provenance
        strict = !masker.policy.columns.isEmpty
    }

    /// What was masked since the last call; read and reset by the result stage when a statement finishes.
    func takeSummary() -> MaskingSummary {
        summary.merge(cells.takeSummary())
        defer { summary = MaskingSummary() }
        return summary
    }

    /// `authoredByBroker` marks the broker's own refusals, whose text carries no target value.
    func process(_ message: PostgresBackendMessage, authoredByBroker: Bool = false) -> Outcome {
        let wasDescribingStatement = describingStatement
        describingStatement = false
        switch message {
        case .parameterDescription:
            flow?.statementDescriptionStarted()
            describingStatement = true
            return refusing ? .drop : .pass(message)
        case .rowDescription(let fields):
            described(fields, statement: wasDescribingStatement)
            return refusing ? .drop : .pass(.rowDescription(fields.map(maskLabel)))
        case .noData:
            described([], statement: wasDescribingStatement)
            return refusing ? .drop : .pass(message)
        case .dataRow(let row):
            if columns == nil, let fields = flow?.columnsOfExecutingPortal() { columns = fields.map(column) }
            if refusing { return .drop }
            return maskRow(row)
        case .commandComplete, .portalSuspended, .emptyQueryResponse:
            // The next rows belong to another statement or Execute, which must bring (or find) its own description.
            flow?.executeCompleted()
            columns = nil
            return refusing ? .drop : .pass(message)
        case .bindComplete:
            flow?.bindCompleted()
            return refusing ? .drop : .pass(message)
        case .parseComplete, .closeComplete:
            return refusing ? .drop : .pass(message)
        case .readyForQuery:
            flow?.ready()
            refusing = false
            columns = nil
            copyStream = nil
            return .pass(message)
        case .copyOutResponse(let response), .copyBothResponse(let response):
            if refusing { return .drop }
            if response.format == .binary {
                return refuse("COPY in binary format cannot be masked; use COPY ... TO STDOUT in text or csv format")
            }
            if strict {
                return refuse(
                    "COPY TO carries no column provenance, and this resource masks columns; use SELECT instead")
            }
            copyStream = StreamMasker(masker: tokenless)
            return .pass(message)
        case .copyData(let data):
            if refusing { return .drop }
            guard var stream = copyStream else { return .pass(message) }
            let masked = stream.feed(data.readableBytesView)
            summary.merge(stream.takeSummary())
            copyStream = stream
            return masked.isEmpty ? .drop : .pass(.copyData(ByteBuffer(bytes: masked)))
        case .copyDone:
            if refusing { return .drop }
            guard var stream = copyStream else { return .pass(message) }
            let tail = stream.finish()
            summary.merge(stream.takeSummary())
            copyStream = nil
            return tail.isEmpty ? .pass(message) : .replace([.copyData(ByteBuffer(bytes: tail)), message])
        case .errorResponse(let diagnostic):
            flow?.errored()
            columns = nil
            let wasRefusing = refusing
            refusing = false
            if wasRefusing { return .drop }
            return .pass(.errorResponse(authoredByBroker ? diagnostic : maskDiagnostic(diagnostic)))
        case .noticeResponse(let diagnostic):
            return .pass(.noticeResponse(authoredByBroker ? diagnostic : maskDiagnostic(diagnostic)))
        case .notificationResponse(let processID, let channel, let payload):
            return .pass(
                .notificationResponse(
                    processID: processID, channel: maskFreeText(channel, withhold: false),
                    payload: maskFreeText(payload, withhold: strict)))
        case .parameterStatus(let name, let value):
            let fixed = Self.fixedVocabularyParameters.contains(name.lowercased())
            return .pass(.parameterStatus(name: name, value: maskFreeText(value, withhold: strict && !fixed)))
        case .functionCallResponse(let result):
            if refusing { return .drop }
            guard let result else { return .pass(message) }
            if strict {
                return refuse("fast-path function results carry no column provenance, and this resource masks columns")
            }
            if tokenless.mask(bytes: result.readableBytesView).findings.isEmpty { return .pass(message) }
            return refuse("a fast-path function result holds a value the detectors mask")
        case .copyInResponse:
            flow?.copyInStarted()
            return .pass(message)
        case .authentication, .backendKeyData, .negotiateProtocolVersion:
            return .pass(message)
        }
    }

    /// A RowDescription or NoData: a prepared statement's (its formats are placeholders until a Bind chooses, so
    /// its rows are not yet describable) or the current result's.
    private func described(_ fields: [PostgresBackendMessage.FieldDescription], statement: Bool) {
        if statement {
            flow?.statementDescribed(fields)
            columns = nil
        } else {
            flow?.portalDescribed(fields)
            columns = fields.map(column)
        }
    }

    private func column(_ field: PostgresBackendMessage.FieldDescription) -> Column {
        let plan: PostgresCellMasker.Plan
        if strict {
            switch provenance?.plan(for: field) ?? .withhold {
            case .rule(let rule): plan = .rule(rule)
            case .detect: plan = .detect(tokens: true)
            case .withhold: plan = .withhold
            }
        } else {
            plan = .detect(tokens: field.tableOID != 0)
        }
        return Column(name: field.name, plan: plan, type: field.dataTypeOID, format: field.format)
    }

    /// A column's label is normally the query's own text, but dynamic SQL can make it a value (a cursor declared by
    /// `EXECUTE format('... as %I', ...)` and fetched), so labels pass the detectors like any free text.
    private func maskLabel(_ field: PostgresBackendMessage.FieldDescription) -> PostgresBackendMessage.FieldDescription
    {
        var masked = field
        masked.name = maskFreeText(field.name, withhold: false)
        return masked
    }

    private func maskRow(_ row: [ByteBuffer?]) -> Outcome {
        guard let columns, columns.count == row.count else {
            return refuse(
                "result rows arrived without a description of their columns and formats; describe the portal "
                    + "(Describe P) before Execute on a masked resource")
        }
        var masked = row
        for index in masked.indices {
            guard let cell = masked[index] else { continue }
            let column = columns[index]
            switch cells.mask(cell, type: column.type, format: column.format, plan: column.plan) {
            case .keep: break
            case .replace(let value): masked[index] = value
            case .refuse(let reason):
                return refuse("column \(column.name): \(reason); request it in text format or cast it to text")
            }
        }
        return .pass(.dataRow(masked))
    }

    /// Refuses the rest of the current result: an ErrorResponse now, everything else dropped up to ReadyForQuery,
    /// which is what a client expects after an error.
    private func refuse(_ reason: String) -> Outcome {
        refusing = true
        return .replace([
            PostgresRefusals.error(
                sqlState: .insufficientPrivilege,
                message: "the result is refused because the broker cannot mask it: \(reason)",
                approval: nil, hint: nil)
        ])
    }

    private func maskFreeText(_ text: String, withhold: Bool) -> String {
        guard !text.isEmpty else { return text }
        if withhold {
            summary.merge(MaskingSummary(counts: ["column:\(PostgresCellMasker.withheldLabel)": 1]))
            return "[REDACTED]"
        }
        let masked = tokenless.mask(text)
        summary.merge(masked.findings)
        return masked.text
    }

    /// Every field that is not a fixed code is masked: on a resource with column rules it is withheld whole (an
    /// error can quote any value the statement touched: `invalid input syntax for type integer: "..."`,
    /// `relation "..." does not exist` for a value cast to regclass), otherwise the detectors run over it.
    private func maskDiagnostic(_ diagnostic: PostgresBackendMessage.Diagnostic) -> PostgresBackendMessage.Diagnostic {
        var masked = diagnostic
        var withheld = false
        masked.fields = diagnostic.fields.compactMap { field in
            if Self.fixedDiagnosticFields.contains(field.code) { return field }
            guard strict else { return .init(code: field.code, value: maskFreeText(field.value, withhold: false)) }
            withheld = true
            guard field.code == .message else { return nil }
            return .init(
                code: .message,
                value: "the target's message is withheld: this resource masks columns, and a message can quote "
                    + "any value (SQLSTATE \(diagnostic.sqlState?.rawValue ?? "unknown"))")
        }
        if withheld {
            summary.merge(MaskingSummary(counts: ["column:\(PostgresCellMasker.withheldLabel)": 1]))
        }
        return masked
    }

    /// Severity, SQLSTATE, positions and the server's source location: codes and numbers, never values.
    private static let fixedDiagnosticFields: Set<PostgresBackendMessage.Diagnostic.Code> = [
        .severity, .severityNonLocalized, .sqlState,
        .init(rawValue: UInt8(ascii: "P")), .init(rawValue: UInt8(ascii: "p")),
        .init(rawValue: UInt8(ascii: "F")), .init(rawValue: UInt8(ascii: "L")), .init(rawValue: UInt8(ascii: "R")),
    ]

    /// Reported parameters whose values the server validates against a fixed vocabulary or format, so a query
    /// cannot smuggle a value through them; others are free text (`application_name`; `TimeZone`, which accepts
    /// POSIX specifications with made-up abbreviations).
    private static let fixedVocabularyParameters: Set<String> = [
        "client_encoding", "datestyle", "default_transaction_read_only", "in_hot_standby", "integer_datetimes",
        "intervalstyle", "is_superuser", "server_encoding", "server_version", "standard_conforming_strings",
        "session_authorization", "scram_iterations",
    ]
}
