import Masking
import NIOCore
import PostgresWire

/// Masks what the target returns before it leaves the broker: DataRow cells (text format, and binary cells of
/// text types), COPY TO STDOUT data (as a stream, so a value split across CopyData messages is still caught),
/// and the text of notices and errors. NULLs stay NULL and every changed cell is re-framed with its new length.
///
/// Column rules are matched by the column's name in RowDescription. The wire names a column's table only by OID,
/// so a `table.column` rule applies to every column of that name — a stricter reading that never lets a ruled
/// column through. A ruled column the engine cannot rewrite (a binary cell of a non-text type) refuses the result.
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

    private let masker: ValueMasker
    private var columns: [Column] = []
    private var copyStream: StreamMasker?
    private var refusing = false
    /// What was masked since the last statement finished; read and reset by the result stage.
    private(set) var summary = MaskingSummary()

    /// A result column: its rule (if any) and how its cells travel.
    private struct Column {
        var name: String
        var rule: ColumnRule?
        var maskable: Bool
    }

    init(masker: ValueMasker) {
        self.masker = masker
    }

    func takeSummary() -> MaskingSummary {
        defer { summary = MaskingSummary() }
        return summary
    }

    func process(_ message: PostgresBackendMessage) -> Outcome {
        switch message {
        case .rowDescription(let fields):
            columns = fields.map { field in
                let rule =
                    masker.columnRule(table: nil, column: field.name)
                    ?? masker.policy.columns.first { $0.column.lowercased() == field.name.lowercased() }
                return Column(
                    name: field.name, rule: rule,
                    maskable: field.format == .text || Self.textTypes.contains(field.dataTypeOID))
            }
            if let blocked = columns.first(where: { $0.rule != nil && !$0.maskable }) {
                refusing = true
                return .replace([
                    PostgresRefusals.error(
                        sqlState: .insufficientPrivilege,
                        message: "column \(blocked.name) is covered by a masking rule but arrives in a binary "
                            + "format the broker cannot rewrite; the result is refused",
                        approval: nil,
                        hint: "request the column in text format, or cast it to text"
                    )
                ])
            }
            return .pass(message)
        case .dataRow(let cells):
            if refusing { return .drop }
            return .pass(.dataRow(maskRow(cells)))
        case .commandComplete, .portalSuspended, .emptyQueryResponse:
            return refusing ? .drop : .pass(message)
        case .readyForQuery:
            refusing = false
            columns = []
            return .pass(message)
        case .copyOutResponse, .copyBothResponse:
            copyStream = StreamMasker(masker: masker)
            return .pass(message)
        case .copyData(let data):
            guard var stream = copyStream else { return .pass(message) }
            let masked = stream.feed(data.readableBytesView)
            copyStream = stream
            return masked.isEmpty ? .drop : .pass(.copyData(ByteBuffer(bytes: masked)))
        case .copyDone:
            guard var stream = copyStream else { return .pass(message) }
            let tail = stream.finish()
            summary.merge(stream.summary)
            copyStream = nil
            return tail.isEmpty ? .pass(message) : .replace([.copyData(ByteBuffer(bytes: tail)), message])
        case .errorResponse(let diagnostic):
            refusing = false
            return .pass(.errorResponse(maskDiagnostic(diagnostic)))
        case .noticeResponse(let diagnostic):
            return .pass(.noticeResponse(maskDiagnostic(diagnostic)))
        default:
            return .pass(message)
        }
    }

    private func maskRow(_ cells: [ByteBuffer?]) -> [ByteBuffer?] {
        var row = cells
        for index in row.indices {
            guard let cell = row[index] else { continue }
            let column = index < columns.count ? columns[index] : Column(name: "", rule: nil, maskable: true)
            guard column.maskable else { continue }
            if let rule = column.rule {
                let text = String(decoding: cell.readableBytesView, as: UTF8.self)
                let masked = masker.mask(text, column: rule.strategy, label: rule.name)
                summary.merge(masked.findings)
                row[index] = ByteBuffer(string: masked.text)
            } else if let masked = cell.withUnsafeReadableBytes({
                masker.maskedBytes($0.assumingMemoryBound(to: UInt8.self))
            }) {
                summary.merge(masked.findings)
                row[index] = ByteBuffer(bytes: masked.bytes)
            }
        }
        return row
    }

    /// Masks the human-readable fields, where values show up (`Key (email)=(...) already exists`).
    private func maskDiagnostic(_ diagnostic: PostgresBackendMessage.Diagnostic) -> PostgresBackendMessage.Diagnostic {
        var masked = diagnostic
        for index in masked.fields.indices where Self.textFields.contains(masked.fields[index].code) {
            let result = masker.mask(masked.fields[index].value)
            guard !result.findings.isEmpty else { continue }
            summary.merge(result.findings)
            masked.fields[index].value = result.text
        }
        return masked
    }

    private static let textFields: Set<PostgresBackendMessage.Diagnostic.Code> = [
        .message, .detail, .hint, PostgresBackendMessage.Diagnostic.Code(rawValue: 0x57),  // W: where
    ]

    /// Types whose binary form is their text: text, varchar, bpchar, name, json, xml, unknown, citext-like domains
    /// are reported by their base type.
    private static let textTypes: Set<UInt32> = [25, 1043, 1042, 19, 114, 142, 705]
}
