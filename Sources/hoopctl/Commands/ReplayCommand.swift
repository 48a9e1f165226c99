import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl replay SESSION [--bundle DIR] [--speed N | --no-timing] [--grep RE] [--format text|asciicast]`.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Play a recorded session back, from the broker or from an exported bundle.",
        discussion: """
            SQL sessions replay as their statements with the results the client saw (masked values stay \
            masked); byte and terminal sessions replay as their output. The original timing is kept unless \
            --no-timing; --speed 4 plays four times as fast. --format asciicast writes asciicast v2 for terminal \
            sessions (play it with asciinema). The recording's hash chain is checked before anything is shown.
            """
    )

    enum Format: String, CaseIterable, ExpressibleByArgument {
        case text, asciicast
    }

    @OptionGroup var client: ClientOptions

    @Argument(help: "The session's id, as `hoopctl sessions` lists it.", completion: BrokerCompletions.sessions)
    var session: String

    @Option(name: .long, help: "Read the recording from this exported bundle instead of the broker.")
    var bundle: String?

    @Option(name: .long, help: "Playback speed multiplier.")
    var speed: Double = 1

    @Flag(name: .long, help: "Print everything at once, without the original pauses.")
    var noTiming = false

    @Option(name: .long, help: "Only statements or output matching this regular expression.")
    var grep: String?

    @Flag(name: .long, help: "Match --grep regardless of case.")
    var ignoreCase = false

    @Flag(name: .long, help: "Also show what the client typed (terminal sessions).")
    var input = false

    @Option(name: .long, help: "text (default) or asciicast.")
    var format: Format = .text

    func run() async throws {
        let console = Console(format: client.output)
        let events: [RecordingEvent]
        let renderer: ReplayRenderer
        do throws(LocalError) {
            guard speed > 0 else { throw LocalError(.invalidInput, "--speed must be positive") }
            guard client.output != .csv, !(client.output == .json && format == .asciicast) else {
                throw LocalError(
                    .invalidInput,
                    "replay prints text, asciicast (--format) or JSON lines (--output json), one at a time")
            }
            do {
                renderer = try ReplayRenderer(
                    options: ReplayOptions(
                        speed: speed, timing: !noTiming, showInput: input, pattern: grep, ignoreCase: ignoreCase))
            } catch {
                throw LocalError(.invalidInput, error.description)
            }
            let bytes = try await recordingBytes()
            do {
                events = try RecordingFile.events(in: bytes)
            } catch {
                throw LocalError(.brokerError, "the recording of \(session) does not verify: \(error)")
            }
        } catch {
            throw console.failure(error)
        }
        let write: (String) -> Void = { Console.output($0) }
        if console.isJSON {
            // The events as recorded (masked where the resource masks), one JSON document per line, for scripts.
            for event in events { console.json(event) }
            return
        }
        switch format {
        case .asciicast:
            AsciicastWriter(includeInput: input).write(events, output: write)
        case .text:
            await renderer.render(events, sleep: { try? await Task.sleep(for: $0) }, output: write)
        }
    }

    private func recordingBytes() async throws(LocalError) -> [UInt8] {
        if let bundle {
            let path = URL(fileURLWithPath: bundle).appendingPathComponent("recordings/\(session).jsonl").path
            guard let data = FileManager.default.contents(atPath: path) else {
                throw LocalError(.localFile, "the bundle \(bundle) holds no recording of \(session)")
            }
            return Array(data)
        }
        return try await BrokerClient.connect(try client.configuration()).recording(session)
    }
}
