import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl exec <resource> -- SQL` or `-- COMMAND`: one command through the broker's pipeline without a local
/// port, for scripts and agents.
struct ExecCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exec",
        abstract: "Run SQL or a command on a resource through the broker, without a local port.",
        discussion: """
            Runs in a session opened for it and revoked afterwards. PostgreSQL: the SQL comes from the arguments \
            after --, from --file, or from standard input. It runs as one simple query (several statements \
            allowed). Output: a table per statement on a terminal, --output json (every statement) or --output \
            csv (the last statement's rows). A statement held for approval waits, showing who must approve, and \
            runs once approved; with --no-wait the command exits 4 with the request id instead, and \
            `--approval ID` runs it once approved. Exits 1 if a statement failed, 3 if access is denied or a \
            guardrail blocked the statement, 4 if an approval is pending.

            SSH: the words after -- are joined with spaces into the command line, as ssh does, and the target's \
            shell runs it. Standard input is streamed to the command; its stdout and stderr stay apart. Exits with \
            the command's own status (128+N if signal N ended it); a command the broker refuses exits 126 with the \
            reason on stderr. Errors before the command runs use hoopctl's codes (1, 3, 5).
            HTTP and Kubernetes: the words after -- are METHOD PATH [BODY] (`GET /v1/users`, `POST /v1/users {"name":"ada"}`; a \
            body starting with { or [ is sent as JSON). The response body goes to stdout as it arrives. Exits 0 \
            for a 1xx-3xx answer, 22 for the target's 4xx/5xx, 126 when the broker refused the request (reason on \
            stderr), 4 when it awaits approval under --no-wait.
            """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var approvals: ApprovalOptions

    @Option(
        name: .long, help: "Use this approved request (from an earlier --no-wait run) for the statement or session.")
    var approval: Int64?

    @Argument(
        help: "The resource to run on, as `hoopctl resources` lists it.", completion: BrokerCompletions.resources)
    var resource: String

    @Option(name: [.short, .long], help: "Read the SQL from this file.")
    var file: String?

    @Option(name: .long, help: "Why you need access; recorded with the session.")
    var reason: String?

    @Argument(parsing: .postTerminator, help: "The SQL or command to run (after --).")
    var sql: [String] = []

    func run() async throws {
        let console = Console(format: client.output)
        let broker: BrokerClient
        let style: ExecStyle
        do throws(LocalError) {
            broker = try await BrokerClient.connect(try client.configuration())
            let adapter = try await ResourceClients.adapter(forResource: resource, on: broker)
            guard let found = adapter.map({ $0.exec }) ?? ResourceClients.unlistedExec else {
                throw LocalError(
                    .invalidInput, "exec cannot run anything on \(resource): its protocol carries no commands",
                    hint: "use `hoopctl connect \(resource)` and your usual client")
            }
            style = found
        } catch {
            throw console.failure(error)
        }
        switch style {
        case .statements(let runner):
            try await runSQL(runner, on: broker, console: console)
        case .command(let runner):
            try await runCommand(runner, on: broker, console: console)
        }
    }

    private func runSQL(_ runner: any StatementRunner, on broker: BrokerClient, console: Console) async throws {
        let outcome: StatementsOutcome
        do throws(LocalError) {
            outcome = try await runner.run(
                client: broker,
                request: SessionRequest(resource: resource, reason: reason, durationSeconds: 600),
                sql: try readSQL(),
                approvals: approvals.wait(on: console),
                approval: try await approved(on: broker, console: console)
            )
        } catch {
            throw console.failure(error)
        }
        print(outcome.statements, on: console)
        if let failed = outcome.statements.first(where: { $0.error != nil })?.error {
            console.note("hoopctl: statement failed: \(failed.message) (SQLSTATE \(failed.code))")
            throw ExitCode(failed.isDenied ? ExitStatus.denied.rawValue : ExitStatus.error.rawValue)
        }
    }

    /// Runs the words after -- on an SSH or HTTP resource and exits with the command's status.
    private func runCommand(_ runner: any CommandRunner, on broker: BrokerClient, console: Console) async throws {
        let outcome: CommandOutcome
        do throws(LocalError) {
            guard !sql.isEmpty, file == nil else {
                throw LocalError(
                    .invalidInput, "no command given for \(resource)",
                    hint: "pass it after --, e.g. hoopctl exec \(resource) -- uptime")
            }
            outcome = try await runner.run(
                client: broker,
                request: SessionRequest(resource: resource, reason: reason, durationSeconds: 600),
                command: sql.joined(separator: " "),
                streams: .standard,
                approvals: approvals.wait(on: console),
                approval: try await approved(on: broker, console: console)
            )
        } catch {
            throw console.failure(error)
        }
        if outcome.exit.exitCode != 0 { throw ExitCode(outcome.exit.exitCode) }
    }

    /// The request `--approval` names, once approved. A request still pending is waited for (or, under
    /// --no-wait, exits 4 naming it) rather than refused by the broker as unapproved.
    private func approved(on broker: BrokerClient, console: Console) async throws(LocalError) -> ApprovalInfo? {
        guard let approval else { return nil }
        return try await approvals.wait(on: console).awaitApproval(try await broker.approval(approval), client: broker)
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
