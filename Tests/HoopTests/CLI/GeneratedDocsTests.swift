import Foundation
import Testing

/// The committed completions must match what the CLI generates, so a changed option cannot ship with stale
/// completions (regenerate with `scripts/generate-docs`).
@Suite("Generated completions and man pages")
struct GeneratedDocsTests {
    @Test("completions/ matches the CLI", arguments: ["bash", "zsh", "fish"])
    func completionsAreCurrent(shell: String) async throws {
        let generated = try await ChildProcess.run(TestEnvironment.hoopctl, ["--generate-completion-script", shell])
        #expect(generated.status == 0)
        let committed = try String(
            contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("completions/hoopctl.\(shell)"),
            encoding: .utf8
        )
        #expect(generated.stdout == committed, "completions/hoopctl.\(shell) is stale: run scripts/generate-docs")
    }

    @Test("every command has a man page")
    func manPagesExist() async throws {
        let help = try await ChildProcess.run(TestEnvironment.hoopctl, ["--help"])
        // Subcommand rows are indented by exactly two spaces and start with the lowercase command name.
        let row = try Regex("^  ([a-z][a-z-]*)(  |$)")
        let commands = help.stdout.split(separator: "\n")
            .drop { !$0.hasPrefix("SUBCOMMANDS:") }.dropFirst()
            .compactMap { line in line.firstMatch(of: row).map { String(line[$0.output[1].range!]) } }
        #expect(!commands.isEmpty)
        for command in commands {
            let page = TestEnvironment.repositoryRoot.appendingPathComponent("man/hoopctl.\(command).1")
            #expect(FileManager.default.fileExists(atPath: page.path), "no man page for \(command)")
        }
    }
}
