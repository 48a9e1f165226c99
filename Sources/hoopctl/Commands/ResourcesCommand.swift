import ArgumentParser
import HoopCore
import Local

/// `hoopctl resources`: what the caller may open sessions to.
struct ResourcesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resources",
        abstract: "List the resources you may connect to, with their guardrails, approvals and masking."
    )

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let console = Console(format: self.client.output)
        do throws(LocalError) {
            let resources = try await BrokerClient.connect(try self.client.configuration()).resources()
            if console.isJSON {
                console.json(resources)
                return
            }
            var table = TextTable("NAME", "TYPE", "MAX-SESSION", "SESSION-APPROVAL", "MASKING", "GUARDRAILS")
            for resource in resources {
                let guardrails = resource.guardrails ?? []
                table.add(
                    resource.name, resource.type.rawValue, DurationSyntax.format(resource.maxSessionSeconds),
                    resource.sessionApprovers.map { $0.joined(separator: ", ") } ?? "-",
                    resource.masked == true ? "yes" : "-",
                    guardrails.isEmpty ? "-" : guardrails.map(\.summary).joined(separator: "; "))
            }
            table.lines.forEach(console.line)
        } catch {
            throw console.failure(error)
        }
    }
}
