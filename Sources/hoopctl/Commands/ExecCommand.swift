import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl exec <resource> -- SQL`: one command through the broker's pipeline without a local port, for scripts
/// and agents.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run SQL on a resource through the broker, without a local port.",
        discussion: """
            The SQL comes from the arguments after --, from --file, or from standard input. It runs as one simple \
            query (several statements allowed), in a session opened for it and revoked afterwards. Output: a table \
            per statement on a terminal, --output json (every statement) or --output csv (the last statement's \
            rows). A statement held for approval waits, showing who must approve, and runs once approved; with \
            --no-wait the command exits 4 with the request id instead, and `--approval ID` runs it once approved. \
            Exits 1 if a statement failed, 3 if access is denied or a guardrail blocked the statement, 4 if an \
            approval is pending.
            """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var approvals: ApprovalOptions

    @Option(
        name: .long, help: "Use this approved request (from an earlier --no-wait run) for the statement or session.")
    var approval: Int64?

    @Argument(help: "The resource to run on, as `hoopctl resources` lists it.")
    var resource: String

    @Option(name: [.short, .long], help: "Read the SQL from this file.")
    var file: String?

    @Option(name: .long, help: "Why you need access; recorded with the session.")
    var reason: String?

    @Argument(parsing: .postTerminator, help: "The SQL to run (after --).")
    var sql: [String] = []

    func run() async throws {
        let console = Console(format: client.output)
        let outcome: PostgresExec.Outcome
        do throws(LocalError) {
            let text = try readSQL()
            let broker = try await BrokerClient.connect(try client.configuration())
            var approved: ApprovalInfo?
            if let approval { approved = try await broker.approval(approval) }
            outcome = try await PostgresExec.run(
                client: broker,
                request: SessionRequest(resource: resource, reason: reason, durationSeconds: 600),
                sql: text,
                approvals: approvals.wait(on: console),
                approval: approved
            )
        } catch {
            throw console.failure(error)
        }
        print(outcome.statements, on: console)
        if let failed = outcome.statements.first(where: { $0.error != nil })?.error {
            console.note("hoopctl: statement failed: \(failed.message) (SQLSTATE \(failed.code))")
            throw ExitCode(
                failed.code == ApprovalSignal.refusedSQLState ? ExitStatus.denied.rawValue : ExitStatus.error.rawValue)
        }
    }

    private func readSQL() throws(LocalError) -> String {
        if let file {
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
                throw LocalError(.localFile, "cannot read SQL from \(file)")
            }
            return text
        }
        if !sql.isEmpty { return sql.joined(separator: " ") }
        let input = FileHandle.standardInput.readDataToEndOfFile()
        guard !input.isEmpty else {
            throw LocalError(.invalidInput, "no SQL given", hint: "pass it after --, with --file, or on stdin")
        }
        return String(decoding: input, as: UTF8.self)
    }

    private func print(_ statements: [SQLStatementResult], on console: Console) {
        switch console.format {
        case .json:
            console.json(statements)
        case .csv:
            guard let last = statements.last(where: { !$0.columns.isEmpty }) ?? statements.last else { return }
            console.line(last.columns.map(Self.csvField).joined(separator: ","))
            for row in last.rows {
                console.line(row.map { $0.map(Self.csvField) ?? "" }.joined(separator: ","))
            }
        case .text:
            for statement in statements {
                if !statement.columns.isEmpty {
                    var table = TextTable(headers: statement.columns)
                    for row in statement.rows { table.rows.append(row.map { $0 ?? "NULL" }) }
                    table.lines.forEach(console.line)
                }
                if let tag = statement.tag { console.line("(\(tag))") }
            }
        }
    }

    /// RFC 4180 quoting: fields with commas, quotes or line breaks are quoted, quotes doubled.
    private static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
