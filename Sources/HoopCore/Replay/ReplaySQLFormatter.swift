import Foundation

/// Renders the statements and results a SQL engine recorded (`query` and `result` events), each statement under a
/// comment line saying when and on which connection it ran.
struct ReplaySQLFormatter {
    /// Statements prepared on each connection, by name, so an execution shows the SQL it ran.
    private var prepared: [Int64: [String: String]] = [:]

    /// The statement as shown, and the text a `--grep` pattern is matched against (the SQL and its parameters).
    mutating func statement(_ event: RecordingEvent) -> (shown: String, searchable: String) {
        let header = "-- \(Self.elapsed(event.t)) conn \(event.conn)"
        let details = event.details
        if details["cancel"] == .bool(true) {
            return ("\(header) cancel request\n", "")
        }
        let sql = ReplayText.display(details["sql"]?.stringValue ?? "")
        switch (details["protocol"]?.stringValue, details["step"]?.stringValue) {
        case ("simple", _):
            return ("\(header)\n\(sql)\n", sql)
        case ("extended", "parse"):
            let name = details["statement"]?.stringValue ?? ""
            prepared[event.conn, default: [:]][name] = sql
            return ("\(header) prepare \(Self.name(name))\n\(sql)\n", sql)
        case ("extended", "bind"):
            let name = details["statement"]?.stringValue ?? ""
            let parameters = (details["parameters"].flatMap(Self.array) ?? []).enumerated().map { index, value in
                "$\(index + 1) = \(Self.literal(value))"
            }
            let bound = parameters.isEmpty ? "" : " with " + parameters.joined(separator: ", ")
            let text = prepared[event.conn]?[name] ?? ""
            let shown = "\(header) execute \(Self.name(name))\(bound)\n" + (text.isEmpty ? "" : "\(text)\n")
            return (shown, ([text] + parameters).joined(separator: "\n"))
        case ("prepared", "prepare"):
            return ("\(header) prepare\n\(sql)\n", sql)
        case ("prepared", "execute"):
            let id = details["statement"]?.intValue.map { "#\($0)" } ?? "(unknown)"
            let parameters = (details["parameters"].flatMap(Self.array) ?? []).enumerated().map { index, value in
                "?\(index + 1) = \(Self.literal(value))"
            }
            let bound = parameters.isEmpty ? "" : " with " + parameters.joined(separator: ", ")
            let shown = "\(header) execute \(id)\(bound)\n" + (sql.isEmpty ? "" : "\(sql)\n")
            return (shown, ([sql] + parameters).joined(separator: "\n"))
        case ("command", _):
            let command = Self.command(details)
            return ("\(header) \(command)\n", command)
        case ("function_call", _):
            let call = details["call"]?.stringValue ?? ""
            return ("\(header) function call \(call)\n", call)
        case ("sftp", _):
            let operation = Self.fileOperation(details)
            return ("\(header) sftp \(operation)\n", operation)
        case ("mcp", _):
            let call =
                "tools/call \(details["tool"]?.stringValue ?? "?") "
                + ReplayText.display(details["arguments"]?.stringValue ?? "{}")
            return ("\(header) \(call)\n", call)
        case ("http", _):
            let request = "\(details["method"]?.stringValue ?? "?") \(details["target"]?.stringValue ?? "")"
            let body = ReplayText.display(details["body"]?.stringValue ?? "")
            let cut = details["body_truncated"] == .bool(true) ? " (cut in the recording)" : ""
            return ("\(header) \(request)\n" + (body.isEmpty ? "" : "\(body)\(cut)\n"), "\(request)\n\(body)")
        case (nil, _) where details["refused"]?.stringValue != nil:
            let approval = details["approval"]?.intValue.map { " (approval \($0))" } ?? ""
            let text = "refused: " + ReplayText.display(details["refused"]?.stringValue ?? "") + approval
            return ("\(header) \(text)\n", text)
        default:
            let text = CanonicalJSON.string(details)
            return ("\(header) \(text)\n", text)
        }
    }

    /// A result: the rows as a table when there are columns, then the command tag or the error, and the duration.
    func result(_ details: JSONValue) -> String {
        if details["protocol"] == "http" {
            // The status line, or the broker's answer in the target's place; the body follows as data events.
            let status = details["status"]?.intValue.map(String.init) ?? "?"
            guard let refusal = details["refusal"]?.stringValue else { return "HTTP \(status)\n" }
            let message = ReplayText.display(details["message"]?.stringValue ?? "")
            return "HTTP \(status) from the broker (\(refusal)): \(message)\n"
        }
        if details["protocol"] == "mcp" {
            // A tool call's result as the agent got it (masked), or the broker's refusal in its place.
            let text = details["result"]?.stringValue ?? details["refused"]?.stringValue ?? ""
            let cut = details["truncated"] == .bool(true) ? " (cut in the recording)" : ""
            return ReplayText.display(text) + cut + "\n"
        }
        var lines: [String] = []
        if let columns = details["columns"].flatMap(Self.array) {
            let rows = (details["rows"].flatMap(Self.array) ?? []).map { row in
                (Self.array(row) ?? []).map { Self.cell($0) }
            }
            let table = ReplayResultTable(columns: columns.map { Self.cell($0) }, rows: rows)
            lines += table.lines
            let total = details["row_count"]?.intValue ?? Int64(rows.count)
            let noun = total == 1 ? "row" : "rows"
            let recorded = details["truncated"] == .bool(true) ? ", \(rows.count) recorded" : ""
            lines.append("(\(total) \(noun)\(recorded))")
        }
        var outcome: String
        if let error = details["error"] {
            let code = error["code"]?.stringValue.map { " \($0)" } ?? ""
            outcome = "ERROR\(code): \(ReplayText.display(error["message"]?.stringValue ?? ""))"
        } else {
            outcome = details["tag"]?.stringValue ?? "done"
        }
        if let micros = details["duration_us"]?.intValue {
            outcome += " (\(Self.milliseconds(micros)))"
        }
        lines.append(outcome)
        return lines.map { $0 + "\n" }.joined()
    }

    /// A value inside a table: text as text (line breaks escaped so rows stay on one line), NULL, or the bytes of a
    /// base64 value with anything not UTF-8 as `\xNN`.
    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null:
            return "NULL"
        case .string(let text):
            return ReplayText.display(text).replacingOccurrences(of: "\n", with: "\\n")
        default:
            if let encoded = value["base64"]?.stringValue, let bytes = Data(base64Encoded: encoded) {
                var decoder = ReplayByteDecoder()
                return decoder.decode(Array(bytes)) + decoder.finish()
            }
            return CanonicalJSON.string(value)
        }
    }

    /// A protocol command that is not a statement (`init_db shop`, `ping`), and why it was refused if it was.
    private static func command(_ details: JSONValue) -> String {
        var text = details["command"]?.stringValue ?? "?"
        for key in ["database", "table"] {
            if let value = details[key]?.stringValue { text += " " + ReplayText.display(value) }
        }
        if let refused = details["refused"]?.stringValue { text += " (refused: \(ReplayText.display(refused)))" }
        return text
    }

    /// `open /srv/app.env (read)`, `rename /a -> /b`, `close /srv/app.env: read 120 B, wrote 0 B`.
    private static func fileOperation(_ details: JSONValue) -> String {
        var text = details["operation"]?.stringValue ?? "?"
        if let name = details["name"]?.stringValue { text += " \(name)" }
        if let path = details["path"]?.stringValue { text += " " + ReplayText.display(path) }
        if let paths = details["paths"].flatMap(Self.array) {
            text += " " + paths.map { ReplayText.display($0.stringValue ?? "?") }.joined(separator: " -> ")
        }
        if let access = details["access"].flatMap(Self.array) {
            text += " (" + access.compactMap(\.stringValue).joined(separator: ", ") + ")"
        }
        if let read = details["bytes_read"]?.intValue, let written = details["bytes_written"]?.intValue {
            text += ": read \(read) B, wrote \(written) B"
        }
        return text
    }

    private static func literal(_ value: JSONValue) -> String {
        value == .null ? "NULL" : "'" + cell(value) + "'"
    }

    private static func array(_ value: JSONValue) -> [JSONValue]? {
        if case .array(let elements) = value { return elements }
        return nil
    }

    private static func name(_ statement: String) -> String {
        statement.isEmpty ? "(unnamed)" : "\"\(statement)\""
    }

    /// `+12.345s` since the recording started.
    static func elapsed(_ micros: Int64) -> String {
        let millis = micros / 1000
        let fraction = String(millis % 1000)
        return "+\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)s"
    }

    /// `3.1 ms`.
    private static func milliseconds(_ micros: Int64) -> String {
        "\(micros / 1000).\((micros % 1000) / 100) ms"
    }
}
