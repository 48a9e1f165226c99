package import Foundation

/// Parses the config's durations: `90s`, `30m`, `1h`, `1h30m`, `2d`, or a bare number of seconds.
package enum DurationText {
    package static func parse(_ text: String) -> TimeInterval? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let seconds = Double(trimmed), seconds >= 0 { return seconds }
        var total: TimeInterval = 0
        var digits = ""
        var sawUnit = false
        for character in trimmed {
            if character.isNumber {
                digits.append(character)
                continue
            }
            guard let value = Double(digits), let unit = unitSeconds(character) else { return nil }
            total += value * unit
            digits = ""
            sawUnit = true
        }
        return digits.isEmpty && sawUnit ? total : nil
    }

    /// The shortest text that `parse` reads back to the same value, for messages and listings.
    package static func format(_ interval: TimeInterval) -> String {
        var remaining = Int(interval.rounded())
        if remaining == 0 { return "0s" }
        var text = ""
        for (unit, seconds) in [("d", 86_400), ("h", 3_600), ("m", 60), ("s", 1)] where remaining >= seconds {
            text += "\(remaining / seconds)\(unit)"
            remaining %= seconds
        }
        return text
    }

    private static func unitSeconds(_ unit: Character) -> TimeInterval? {
        switch unit {
        case "s": 1
        case "m": 60
        case "h": 3_600
        case "d": 86_400
        default: nil
        }
    }
}
