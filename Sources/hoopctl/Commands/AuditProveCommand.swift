import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl audit prove SEQ [--out FILE]`: one event's self-contained inclusion proof.
struct AuditProveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "prove",
        abstract: "Write one audit event's inclusion proof, checkable alone with `hoopctl audit verify FILE`.",
        discussion: """
            The proof holds the event, its RFC 6962 audit path and the newest checkpoint covering it (one the \
            witnesses cosigned when there is one), as JSON (docs/evidence.md §5). Needs membership in an auditor \
            or admin group.
            """
    )

    @OptionGroup var client: ClientOptions

    @Argument(help: "The audit event's seq (as `hoopctl audit export` or `broker audit` show it).")
    var seq: Int64

    @Option(name: .long, help: "Where to write the proof (default: stdout).", completion: .file())
    var out: String = "-"

    func run() async throws {
        let console = Console(format: client.output)
        do throws(LocalError) {
            let broker = try await BrokerClient.connect(try client.configuration())
            let proof = try await broker.inclusionProof(seq: seq)
            let bytes = Data(proof.json + [UInt8(ascii: "\n")])
            if out == "-" {
                Console.output(bytes)
            } else if !FileManager.default.createFile(atPath: out, contents: bytes) {
                throw LocalError(.localFile, "cannot write \(out)")
            } else {
                console.note("hoopctl: wrote \(out); check it with `hoopctl audit verify \(out) --pubkey KEY`")
            }
        } catch {
            throw console.failure(error)
        }
    }
}
