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
        FileHandle.standardOutput.write(Data((text + "\n").utf8))
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
        FileHandle.standardError.write(Data((text + "\n").utf8))
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
