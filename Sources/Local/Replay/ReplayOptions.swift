/// How `hoopctl replay` plays a recording back.
public struct ReplayOptions: Sendable, Equatable {
    /// Playback speed: 2 plays twice as fast, 0.5 at half speed. Values at or below zero play without pauses.
    public var speed: Double
    /// False renders everything at once (`--no-timing`), as a report or a pipe wants it.
    public var timing: Bool
    /// Also show what the client sent in byte sessions (`up` data); statements are always shown.
    public var showInput: Bool
    /// A regular expression: only statements (with their results) and output chunks it matches are shown.
    public var pattern: String?
    public var ignoreCase: Bool

    public init(
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
public struct ReplayPatternError: Error, Sendable, Equatable, CustomStringConvertible {
    public var pattern: String
    public var reason: String

    public var description: String { "invalid --grep pattern \(pattern): \(reason)" }
}
