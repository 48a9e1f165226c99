import ArgumentParser
import Foundation
import HoopCore
import Witness

/// `hoopctl witness vkey`: the verifier key a broker lists under `audit.witnesses` to accept this witness's
/// cosignatures.
struct WitnessVkeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vkey",
        abstract: "Print the witness's verifier key (name+keyid+key)."
    )

    @OptionGroup var options: WitnessDataDirOption

    func run() throws {
        print(try WitnessDataDir(URL(fileURLWithPath: options.dataDir)).loadIdentity().vkey.text)
    }
}
