import HoopCore

/// A recording as `hoopctl replay --no-timing` prints it: the CLI's own renderer, so the page and the terminal
/// can never show a session differently.
enum WebReplayText {
    static func render(_ events: [RecordingEvent]) async -> String {
        var text = ""
        // Options without a pattern always construct.
        guard let renderer = try? ReplayRenderer(options: ReplayOptions(timing: false)) else { return text }
        await renderer.render(events, sleep: { _ in }, output: { text += $0 })
        return text
    }
}
