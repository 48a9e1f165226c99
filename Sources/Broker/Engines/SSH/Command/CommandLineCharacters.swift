/// Which characters an `exec` command line may carry on a guarded resource. Bash reads bytes; the SSH layer hands
/// the broker a Swift string. They agree on printable text, tabs and newlines, which the lexer reads as bash does;
/// for anything else the broker cannot vouch that what it judged is what runs, or that an approver sees what will
/// run, so the line is refused:
///
/// - NUL: OpenSSH refuses or truncates at it, so the judge could see more than the shell runs.
/// - CR and the other C0 controls, DEL, C1 controls: terminals and logs render them misleadingly (`\r` rewinds a
///   line shown to an approver), and shells other than bash treat some as separators.
/// - U+FFFD: the SSH layer decoded invalid UTF-8 into it, so the client's bytes were not text.
/// - Format characters (bidi overrides, zero-width spaces, byte-order marks) and line/paragraph separators: inert
///   to bash, but they make the text an approver reads differ from the text that runs.
enum CommandLineCharacters {
    /// The first character refused in `line`, with its offset in Unicode scalars; nil when all are allowed.
    static func refused(in line: String) -> (offset: Int, scalar: Unicode.Scalar)? {
        for (offset, scalar) in line.unicodeScalars.enumerated() where !allowed(scalar) {
            return (offset, scalar)
        }
        return nil
    }

    private static func allowed(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" { return true }
        if scalar == "\u{FFFD}" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned:
            return false
        default:
            return true
        }
    }

    /// `U+000D` — how a refusal names the character, since printing it would do what it does.
    static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
