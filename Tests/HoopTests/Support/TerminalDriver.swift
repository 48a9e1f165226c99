import Foundation
import Testing

/// A real terminal for interactive clients (psql, ssh): a detached tmux session the test types into and reads the
/// screen of, as a person at a terminal would.
struct TerminalDriver: Sendable {
    private static let tmux = "/usr/bin/tmux"
    let name: String

    /// Starts `command` in a new terminal of `columns` × `rows`.
    static func start(_ command: String, name: String, columns: Int = 200, rows: Int = 50) async throws
        -> TerminalDriver
    {
        let started = try await ChildProcess.run(
            tmux, ["new-session", "-d", "-s", name, "-x", String(columns), "-y", String(rows), command])
        #expect(started.status == 0, "\(started.stderr)")
        return TerminalDriver(name: name)
    }

    func screen() async throws -> String {
        try await ChildProcess.run(Self.tmux, ["capture-pane", "-p", "-t", name]).stdout
    }

    /// Literal text, then Enter. tmux takes a trailing `;` as its own command separator, so psql statements end
    /// with `\g` instead.
    func type(_ text: String) async throws {
        _ = try await ChildProcess.run(Self.tmux, ["send-keys", "-t", name, "-l", text])
        _ = try await ChildProcess.run(Self.tmux, ["send-keys", "-t", name, "Enter"])
    }

    /// Waits until the screen shows `text` (up to `attempts` × 100 ms) and expects that it did.
    func waitFor(_ text: String, attempts: Int = 100) async throws {
        for _ in 0..<attempts where try await !screen().contains(text) {
            try await Task.sleep(for: .milliseconds(100))
        }
        let shown = try await screen()
        #expect(shown.contains(text), "\(shown)")
    }

    func resize(columns: Int, rows: Int) async throws {
        _ = try await ChildProcess.run(
            Self.tmux, ["resize-window", "-t", name, "-x", String(columns), "-y", String(rows)])
    }

    func close() async {
        _ = try? await ChildProcess.run(Self.tmux, ["kill-session", "-t", name])
    }
}
