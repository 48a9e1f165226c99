/// Durations as people type them on a command line: `90s`, `30m`, `1h30m`, `2h`, or plain seconds.
package enum DurationSyntax {
    /// Seconds in `text`; an error saying the accepted forms otherwise.
    package static func seconds(_ text: String) throws(LocalError) -> Int {
        let invalid = LocalError(
            .invalidInput,
            "invalid duration \"\(text)\"",
            hint: "write it like 90s, 30m, 1h30m or 2h"
        )
        if let seconds = Int(text) {
            guard seconds > 0 else { throw invalid }
            return seconds
        }
        var total = 0
        var digits = ""
        var lastUnit = Int.max
        for character in text.lowercased() {
            if character.isASCII, character.isNumber {
                digits.append(character)
                continue
            }
            let unit: Int
            switch character {
            case "h": unit = 3600
            case "m": unit = 60
            case "s": unit = 1
            default: throw invalid
            }
            // Units must each appear once, largest first: "1h30m", not "30m1h" or "1m1m".
            guard let value = Int(digits), unit < lastUnit else { throw invalid }
            let (product, overflow) = value.multipliedReportingOverflow(by: unit)
            guard !overflow else { throw invalid }
            total += product
            digits = ""
            lastUnit = unit
        }
        guard digits.isEmpty, total > 0 else { throw invalid }
        return total
    }

    /// `seconds` written compactly in the same syntax, e.g. 5400 → `1h30m`.
    package static func format(_ seconds: Int) -> String {
        guard seconds > 0 else { return "0s" }
        let parts = [(seconds / 3600, "h"), (seconds % 3600 / 60, "m"), (seconds % 60, "s")]
        return parts.filter { $0.0 > 0 }.map { "\($0.0)\($0.1)" }.joined()
    }
}
