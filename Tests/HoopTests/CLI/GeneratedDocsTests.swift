import Foundation
import HoopCore
import Testing

@testable import Broker

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

/// Every man page's EXIT STATUS is hoopctl's one table (HoopCore.ExitStatus), as `hoopctl --help` shows it: ArgumentParser's
/// generic "exits 0 on success, >0 on error" would be false for scripts that branch on 3, 4 and 5.
@Suite("Man pages: EXIT STATUS")
struct ManPageExitStatusTests {
    @Test("every man page lists every documented exit code with its meaning")
    func exitStatusSections() throws {
        let expected =
            ".Bl -tag -width 3n\n" + HoopCore.ExitStatus.allCases.map { ".It \($0.rawValue)\n\($0.summary)\n" }.joined()
            + ".El"
        let directory = TestEnvironment.repositoryRoot.appendingPathComponent("man")
        let pages = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0.hasSuffix(".1") }
        #expect(pages.count > 20)
        for page in pages {
            let text = try String(contentsOf: directory.appendingPathComponent(page), encoding: .utf8)
            let section = try #require(text.range(of: ".Sh \"EXIT STATUS\"\n"), "\(page) has no EXIT STATUS")
            #expect(
                text[section.upperBound...].hasPrefix(expected), "\(page): stale EXIT STATUS; run scripts/generate-docs"
            )
            #expect(!text.contains(".Ex -std"), "\(page) still has the generic exit status")
        }
    }

    @Test("hoopctl --help shows the same table")
    func helpShowsTheTable() async throws {
        let help = try await ChildProcess.run(
            TestEnvironment.hoopctl, ["--help"], environment: ["COLUMNS": "200"])
        #expect(help.status == 0)
        for status in HoopCore.ExitStatus.allCases {
            #expect(help.stdout.contains("  \(status.rawValue)  \(status.summary)"), "\(status) missing from --help")
        }
    }
}

/// `broker init` points at docs/config.md: the page exists and documents every key the starter file shows.
@Suite("Docs: the broker config reference")
struct ConfigReferenceTests {
    @Test("docs/config.md names every key broker init writes, commented or not")
    func everyStarterKeyDocumented() throws {
        let page = try String(
            contentsOf: TestEnvironment.repositoryRoot.appendingPathComponent("docs/config.md"), encoding: .utf8)
        #expect(StarterConfig.text.contains("docs/config.md"))
        let key = try Regex("^[ #]*(?:- )?([a-z_]+):")
        let keys = Set(
            StarterConfig.text.split(separator: "\n").compactMap { line in
                line.firstMatch(of: key).map { String(line[$0.output[1].range!]) }
            })
        #expect(keys.count > 40)
        for name in keys.sorted() {
            #expect(page.contains("`\(name)`"), "docs/config.md does not document `\(name)`")
        }
    }
}
