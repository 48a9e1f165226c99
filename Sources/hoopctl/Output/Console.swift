import ArgumentParser
import Foundation
import HoopCore
import Local

/// Where a client command's output goes: results on stdout (text, or one JSON document), progress and errors on
/// stderr, so `--output json` stdout always parses.
struct Console: Sendable {
    let format: OutputFormat

    var isJSON: Bool { self.format == .json }

    /// A line of text output on stdout.
    func line(_ text: String) {
        Self.output(text + "\n")
    }

    /// One JSON document on a single line of stdout, in the API's JSON dialect.
    func json(_ value: some Encodable) {
        do {
            self.line(String(decoding: try HoopJSON.encoder().encode(value), as: UTF8.self))
        } catch {
            self.note("hoopctl: cannot encode the output as JSON: \(error)")
        }
    }

    /// A progress or diagnostic line on stderr.
    func note(_ text: String) {
        Self.diagnostic(text + "\n")
    }

    /// Result bytes on stdout. A reader that closed its end (`| head -3`) has taken all it wants, so the command
    /// ends there, quietly and with status 0, as ripgrep and other line tools do; any other write failure is an
    /// error, reported on stderr with status 1.
    static func output(_ bytes: some Collection<UInt8>) {
        switch StandardStream.output.write(bytes) {
        case .written:
            return
        case .readerGone:
            exit(ExitStatus.ok.rawValue)
        case .failed(let code):
            Self.diagnostic("hoopctl: cannot write the output: \(String(cString: strerror(code)))\n")
            exit(ExitStatus.error.rawValue)
        }
    }

    /// Result text on stdout, as `output(_:)` writes bytes.
    static func output(_ text: String) {
        Self.output(Array(text.utf8))
    }

    /// Reports a failure that is not about the command line (a config file, the state of a data dir) as hoopctl's
    /// own line on stderr, without ArgumentParser's usage text, and returns the exit code to throw.
    static func failure(_ status: ExitStatus, _ message: String) -> ExitCode {
        Self.diagnostic("hoopctl: \(message)\n")
        return ExitCode(status.rawValue)
    }

    /// Text on stderr. Progress that nobody reads is not worth failing for, so write errors are ignored.
    static func diagnostic(_ text: String) {
        StandardStream.error.write(text)
    }

    /// Reports `error` (stderr, plus `{"error": ...}` on stdout in JSON mode) and returns the exit code to throw.
    func failure(_ error: LocalError) -> ExitCode {
        self.note("hoopctl: \(error)")
        if self.isJSON {
            self.json(APIErrorBody(error: error.detail))
        }
        return ExitCode(error.exitStatus.rawValue)
    }
}
