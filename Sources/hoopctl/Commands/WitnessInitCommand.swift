import ArgumentParser
import Foundation
import HoopCore
import Witness

/// `hoopctl witness init`: makes the witness's identity once. Its vkey is what a log's operator pins, so a second
/// init never replaces the key.
struct WitnessInitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a witness's key and name in a new data directory and print its verifier key."
    )

    @OptionGroup var options: WitnessDataDirOption

    @Option(name: .long, help: "The witness's name, conventionally a schema-less URL (e.g. witness.example.com/w1).")
    var name: String

    func validate() throws {
        guard NoteKeyName.isValid(name) else {
            throw ValidationError("--name must be non-empty with no spaces, '+' or control characters")
        }
    }

    func run() throws {
        let identity = try WitnessDataDir(URL(fileURLWithPath: options.dataDir)).createIdentity(name: name)
        print(identity.vkey.text)
    }
}
