import ArgumentParser
import Broker
import Foundation
import HoopCore

/// `hoopctl broker init`: writes a commented starter config that works as written against the demo identity
/// provider.
struct BrokerInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a commented starter broker configuration."
    )

    @OptionGroup var options: BrokerConfigOption
    @OptionGroup var output: PlainOutputOption

    @Flag(name: .long, help: "Overwrite an existing file.")
    var force = false

    func run() throws {
        let url = URL(fileURLWithPath: options.config)
        if FileManager.default.fileExists(atPath: url.path) && !force {
            throw Console.failure(.error, "\(url.path) already exists; pass --force to overwrite it")
        }
        try StarterConfig.text.write(to: url, atomically: true, encoding: .utf8)
        let next = "hoopctl broker serve --config \(options.config)"
        let console = output.console
        guard !console.isJSON else {
            console.json(["config": url.path, "next": next])
            return
        }
        console.line("wrote \(url.path); start the broker with: \(next)")
    }
}
