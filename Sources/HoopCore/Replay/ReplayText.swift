/// How replay shows text that is not plain UTF-8, so an auditor sees exactly which bytes went over the wire.
enum ReplayText {
    /// The broker records text read in a non-UTF-8 client encoding with one private-use scalar per raw byte
    /// (U+10FF80 to U+10FFFF for bytes 0x80 to 0xFF); those are shown as `\xNN`.
    static let escapeBase: UInt32 = 0x10_FF00

    static func display(_ text: String) -> String {
        guard text.utf8.contains(0xF4) else { return text }
        var shown = ""
        for scalar in text.unicodeScalars {
            if scalar.value >= escapeBase + 0x80 && scalar.value <= escapeBase + 0xFF {
                shown += hexEscape(UInt8(scalar.value - escapeBase))
            } else {
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown
    }

    /// `\xNN` with two lowercase hex digits.
    static func hexEscape(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return "\\x" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
    }
}
