import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl audit export --out DIR [filters] [--format bundle|jsonl|csv]`.
struct AuditExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a signed evidence bundle (or the event table, for SIEM import).",
        discussion: """
            A bundle holds the audit log's events (those outside the filters as leaf-hash stubs, so the tree still \
            verifies; those before --since as a compact range), the signed checkpoint they end at with the \
            witnesses' cosignatures, the recordings of the sessions they close, the broker's audit public key and a \
            sealed manifest. `hoopctl audit verify DIR` checks it offline. With \
            --format jsonl or csv only the matching events are written, one per line. Needs membership in an \
            auditor or admin group.
            """
    )

    enum Format: String, CaseIterable, ExpressibleByArgument {
        case bundle, jsonl, csv
    }

    @OptionGroup var client: ClientOptions

    @Option(name: .long, help: "Only events at or after this RFC 3339 time.")
    var since: String?

    @Option(name: .long, help: "Only events at or before this RFC 3339 time.")
    var until: String?

    @Option(name: .long, help: "Only events about this resource.", completion: BrokerCompletions.resources)
    var resource: String?

    @Option(name: .long, help: "Only events by this actor (email or subject).")
    var user: String?

    @Option(name: .long, help: "Only events of this session.", completion: BrokerCompletions.sessions)
    var session: String?

    @Option(
        name: .long, help: "Where to write: a new directory for a bundle, a file for jsonl/csv (- for stdout).",
        completion: .file())
    var out: String

    @Option(name: .long, help: "bundle (default), jsonl or csv.")
    var format: Format = .bundle

    func run() async throws {
        let console = Console(format: client.output)
        do throws(LocalError) {
            let broker = try await BrokerClient.connect(try client.configuration())
            let filter = EvidenceFilter(
                actor: user, resource: resource, session: session, since: since, until: until)
            // A bundle streams straight into its directory; the tables need only the events.
            let bundle = try await broker.exportEvidence(
                filter, to: format == .bundle ? URL(fileURLWithPath: out) : nil)
            switch format {
            case .bundle:
                let events = bundle.files[BundleLayout.events].map { $0.split(separator: UInt8(ascii: "\n")).count }
                if console.isJSON {
                    console.json(Written(out: out, format: format.rawValue, events: events ?? 0))
                } else {
                    console.note(
                        "hoopctl: wrote \(out) (\(events ?? 0) events); verify it with `hoopctl audit verify \(out)`")
                }
            case .jsonl, .csv:
                let table = try EventTable(bundle: bundle, filter: filter)
                let text = format == .jsonl ? table.jsonLines : table.csv
                if out == "-" {
                    Console.output(text)
                } else if !FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) {
                    throw LocalError(.localFile, "cannot write \(out)")
                } else if console.isJSON {
                    console.json(Written(out: out, format: format.rawValue, events: table.events.count))
                }
            }
        } catch {
            throw console.failure(error)
        }
    }

    /// What `--output json` says was written (the data itself is the file, or stdout with `--out -`).
    struct Written: Encodable {
        let out: String
        let format: String
        let events: Int
    }
}
