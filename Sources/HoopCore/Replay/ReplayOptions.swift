/// How `hoopctl replay` plays a recording back.
package struct ReplayOptions: Sendable, Equatable {
    /// Playback speed: 2 plays twice as fast, 0.5 at half speed. Values at or below zero play without pauses.
    package var speed: Double
    /// False renders everything at once (`--no-timing`), as a report or a pipe wants it.
    package var timing: Bool
    /// Also show what the client sent in byte sessions (`up` data); statements are always shown.
    package var showInput: Bool
    /// A regular expression: only statements (with their results) and output chunks it matches are shown.
    package var pattern: String?
    package var ignoreCase: Bool

    package init(
        speed: Double = 1,
        timing: Bool = true,
        showInput: Bool = false,
        pattern: String? = nil,
        ignoreCase: Bool = false
    ) {
        self.speed = speed
        self.timing = timing
        self.showInput = showInput
        self.pattern = pattern
        self.ignoreCase = ignoreCase
    }
}

/// The `--grep` pattern is not a valid regular expression.
package struct ReplayPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    package var pattern: String
    package var reason: String

    package var description: String { "invalid --grep pattern \(pattern): \(reason)" }
}
