import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl broker status`: the deployment's brokers, through whichever broker answers.
struct BrokerStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show every broker of the deployment: version, state and last heartbeat.",
        discussion: """
            Asks the broker you are logged in to (any broker of a deployment that shares one store) for the brokers \
            it knows. A broker is running while its heartbeat is fresh, stopped after a clean stop, and \
            unresponsive when its heartbeat stopped without one; the sessions it owned were then taken over. \
            Needs membership in an auditor or admin group.
            """
    )

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let console = Console(format: self.client.output)
        do throws(LocalError) {
            let report = try await BrokerClient.connect(try self.client.configuration()).brokers()
            if console.isJSON {
                console.json(report)
                return
            }
            var table = TextTable("NAME", "ID", "STATE", "VERSION", "SESSIONS", "LAST HEARTBEAT", "LISTEN")
            for broker in report.brokers {
                let marker = broker.id == report.answeredBy ? " *" : ""
                table.add(
                    broker.name + marker, broker.id, broker.state.rawValue, broker.version, String(broker.sessions),
                    Timestamp.format(broker.lastSeen), broker.listen)
            }
            table.lines.forEach(console.line)
            console.line("* answered this request")
        } catch {
            throw console.failure(error)
        }
    }
}
