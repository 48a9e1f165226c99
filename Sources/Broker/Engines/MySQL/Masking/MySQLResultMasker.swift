import Masking
import MySQLWire
import NIOCore

/// Masks what a MySQL target sends before it leaves the broker: text and binary rows, and the free text of errors.
///
/// Column rules follow provenance: a value is covered by the rule of the (schema, original table, original column)
/// its column definition reports, whatever the query labelled it, and only for base tables the broker knew when the
/// connection opened (`MySQLColumnProvenance`). On a resource with column rules a column without that provenance
/// (an expression, a literal, a view, a new table) could hold any ruled value, so it is withheld, and error text —
/// which can quote a value (`Duplicate entry '…'`) — is withheld too.
///
/// A column whose values are replaced whole but whose type cannot carry text (a ruled integer, a withheld date) is
/// announced to the client as a string column, so the replacement is well-formed in both protocols. A number in a
/// binary row in which a detector finds something cannot be rewritten in its layout; the result is refused rather
/// than sent unmasked.
///
/// One masker serves one connection, on its event loop.
final class MySQLResultMasker {
    /// What to do with a binary row.
    enum RowOutcome {
        /// The row as the client gets it, and its cell values as the recording keeps them (masked too).
        /// The row as the client gets it (nil: as it came), and its values as recorded.
        case row(MySQLPacket?, values: [ByteBuffer?])
        /// The row cannot be masked in its form; the reason names the column.
        case refuse(String)
    }

    private var cells: TextCellMasker
    private let provenance: MySQLColumnProvenance?
    /// Whether the resource has column rules: then every channel without provenance is withheld.
    private let strict: Bool
    private var summary = MaskingSummary()
    /// The current result's columns as the target described them, their plans, and as the client sees them.
    private var plans: [CellMaskPlan] = []
    private var targetColumns: [MySQLColumnDefinition41] = []
    private var clientColumns: [MySQLColumnDefinition41] = []

    init(masker: ValueMasker, provenance: MySQLColumnProvenance?) {
        cells = TextCellMasker(masker: masker)
        self.provenance = provenance
        strict = !masker.policy.columns.isEmpty
    }

    /// What was masked since the last call; read and reset when a statement finishes.
    func takeSummary() -> MaskingSummary {
        summary.merge(cells.takeSummary())
        defer { summary = MaskingSummary() }
        return summary
    }

    /// A new result set begins.
    func resultStarted() {
        plans = []
        targetColumns = []
        clientColumns = []
    }

    /// Plans one column of the current result and returns its definition as the client must see it.
    func column(_ column: MySQLColumnDefinition41) -> MySQLColumnDefinition41 {
        let plan = plan(for: column)
        var shown = column
        switch plan {
        case .rule, .withhold:
            if !column.type.isTextual {
                shown.type = .varString
                shown.characterSet = Self.utf8mb4
                shown.flags &= ~(MySQLColumnDefinition41.unsignedFlag | MySQLColumnDefinition41.binaryFlag)
                shown.decimals = 0
                shown.columnLength = max(column.columnLength, 64)
            }
        case .detect:
            break
        }
        plans.append(plan)
        targetColumns.append(column)
        clientColumns.append(shown)
        return shown
    }

    /// The columns of a prepared statement's result, planned without being shown (a COM_STMT_EXECUTE that reuses
    /// them sends no definitions of its own only under capabilities the broker does not offer, so this is rare).
    func columnsKnown(_ columns: [MySQLColumnDefinition41]) {
        resultStarted()
        for column in columns { _ = self.column(column) }
    }

    /// A text row with every cell masked under its column's plan; nil when nothing in it changed, so the packet
    /// can be relayed as it came.
    func textRow(_ row: MySQLTextRow) -> MySQLTextRow? {
        var masked = row
        var changed = false
        for index in masked.values.indices where index < plans.count {
            guard let cell = masked.values[index] else { continue }
            if let replaced = cells.mask(cell, plan: plans[index], json: targetColumns[index].type == .json) {
                masked.values[index] = replaced
                changed = true
            }
        }
        return changed ? masked : nil
    }

    /// A binary row with textual cells masked, whole-value replacements written as strings (their columns were
    /// announced as strings), and numbers checked by the detectors in their decimal form.
    func binaryRow(_ row: MySQLBinaryRow, sequenceID: UInt8) -> RowOutcome {
        var masked = row
        var changed = false
        for index in masked.values.indices where index < plans.count {
            guard let cell = masked.values[index] else { continue }
            let type = targetColumns[index].type
            let plan = plans[index]
            if type.isTextual || clientColumns[index].type != type {
                let text = type.isTextual ? cell : ByteBuffer(string: Self.text(of: cell, column: targetColumns[index]))
                if let replaced = cells.mask(text, plan: plan, json: type == .json) {
                    masked.values[index] = replaced
                    changed = true
                } else if !type.isTextual {
                    masked.values[index] = text
                    changed = true
                }
                continue
            }
            guard case .detect = plan, let number = Self.integerText(cell, column: targetColumns[index]) else {
                continue
            }
            let found = cells.masker.withoutTokens.mask(number)
            if !found.findings.isEmpty {
                summary.merge(found.findings)
                let name = targetColumns[index].name
                return .refuse(
                    "a value in column '\(name)' matched a masking detector but its binary type cannot hold a mask; "
                        + "cast it to a string in the query")
            }
        }
        guard changed else { return .row(nil, values: row.values) }
        return .row(
            MySQLPacket(sequenceID: sequenceID, payload: masked.payload(columns: clientColumns)), values: masked.values)
    }

    /// An error from the target: its text can quote values, so the detectors run over it, and on a resource with
    /// column rules it is withheld (the code and SQLSTATE stay).
    func error(_ error: MySQLErrPacket) -> MySQLErrPacket {
        var masked = error
        if strict {
            masked.message = "[error text withheld: this resource masks columns]"
            summary.merge(MaskingSummary(counts: ["column:\(TextCellMasker.withheldLabel)": 1]))
        } else {
            let found = cells.masker.withoutTokens.mask(error.message)
            summary.merge(found.findings)
            masked.message = found.text
        }
        return masked
    }

    private func plan(for column: MySQLColumnDefinition41) -> CellMaskPlan {
        if strict {
            return provenance?.plan(for: column, masker: cells.masker) ?? .withhold
        }
        return .detect(tokens: !column.orgTable.isEmpty && !column.orgName.isEmpty)
    }

    /// utf8mb4_general_ci, the character set of the strings the broker writes in place of values.
    static let utf8mb4: UInt16 = 45

    /// A binary value of a non-textual type as text, for a whole-value replacement's input.
    private static func text(of cell: ByteBuffer, column: MySQLColumnDefinition41) -> String {
        integerText(cell, column: column) ?? "?"
    }

    /// A binary integer's decimal form; nil for other types.
    static func integerText(_ cell: ByteBuffer, column: MySQLColumnDefinition41) -> String? {
        let unsigned = column.flags & MySQLColumnDefinition41.unsignedFlag != 0
        let at = cell.readerIndex
        switch (column.type, cell.readableBytes) {
        case (.tiny, 1), (.bool, 1):
            let raw = cell.getInteger(at: at, endianness: .little, as: UInt8.self) ?? 0
            return unsigned ? String(raw) : String(Int8(bitPattern: raw))
        case (.short, 2), (.year, 2):
            let raw = cell.getInteger(at: at, endianness: .little, as: UInt16.self) ?? 0
            return unsigned ? String(raw) : String(Int16(bitPattern: raw))
        case (.long, 4), (.int24, 4):
            let raw = cell.getInteger(at: at, endianness: .little, as: UInt32.self) ?? 0
            return unsigned ? String(raw) : String(Int32(bitPattern: raw))
        case (.longLong, 8):
            let raw = cell.getInteger(at: at, endianness: .little, as: UInt64.self) ?? 0
            return unsigned ? String(raw) : String(Int64(bitPattern: raw))
        default:
            return nil
        }
    }
}
