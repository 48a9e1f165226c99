import HoopCore
import Local

/// One statement's result as `query` returns it, cut to the call's limits.
struct StatementOutput: Codable, Sendable {
    var columns: [String]
    var rows: [[String?]]
    /// Rows the statement returned, including any cut away.
    var rowCount: Int
    /// Whether `rows` holds fewer rows than the statement returned.
    var truncated: Bool
    var tag: String?
    var error: StatementError?

    struct StatementError: Codable, Sendable {
        var sqlstate: String
        var message: String
        /// The guardrail that blocked the statement, when one did.
        var rule: String?
        var reason: String?
    }

    enum CodingKeys: String, CodingKey {
        case columns, rows, truncated, tag, error
        case rowCount = "row_count"
    }
}

/// `query`'s whole answer.
struct QueryOutput: Codable, Sendable {
    var status: MCPOutcomeStatus
    var resource: String
    var session: String
    var statements: [StatementOutput]
    /// Why rows were cut, when they were.
    var note: String?
}

extension QueryOutput {
    /// The statements' results within `rows` per statement and `bytes` of cell text overall. A blocked statement
    /// makes the status `blocked` (with its rule), any other failure `failed`.
    init(_ outcome: StatementsOutcome, resource: String, rows: Int, bytes: Int) {
        var budget = bytes
        var cut = false
        statements = outcome.statements.map { result in
            var kept: [[String?]] = []
            for row in result.rows {
                let size = row.reduce(0) { $0 + ($1?.utf8.count ?? 0) }
                guard kept.count < rows, size <= budget else { break }
                budget -= size
                kept.append(row)
            }
            cut = cut || kept.count < result.rows.count
            return StatementOutput(
                columns: result.columns, rows: kept, rowCount: result.rows.count,
                truncated: kept.count < result.rows.count, tag: result.tag,
                error: result.error.map { error in
                    let block = GuardrailBlockText.parse(error.message)
                    return StatementOutput.StatementError(
                        sqlstate: error.code, message: error.message, rule: block?.rule, reason: block?.reason)
                })
        }
        let errors = statements.compactMap(\.error)
        status = errors.contains { $0.rule != nil } ? .blocked : errors.isEmpty ? .ok : .failed
        self.resource = resource
        session = outcome.session.id
        note =
            cut
            ? "results were cut to \(rows) rows per statement and \(bytes) bytes in all; row_count has the full "
                + "count: narrow the query (WHERE, LIMIT) or pass max_rows"
            : nil
    }
}
