/// Turns one direction of a byte stream into displayable text chunk by chunk: valid UTF-8 as itself, any other byte
/// as `\xNN`. A character split across two recorded chunks is held back until its last byte arrives, so it shows as
/// the character rather than as escapes.
struct ReplayByteDecoder {
    private var carry: [UInt8] = []

    mutating func decode(_ chunk: [UInt8]) -> String {
        let bytes = carry + chunk
        carry = []
        var text = ""
        var index = 0
        while index < bytes.count {
            guard let length = Self.sequenceLength(bytes, at: index) else {
                carry = Array(bytes[index...])
                break
            }
            if length == 0 {
                text += ReplayText.hexEscape(bytes[index])
                index += 1
            } else {
                text += String(decoding: bytes[index..<index + length], as: UTF8.self)
                index += length
            }
        }
        return text
    }

    /// Whatever was held back when the stream ends: an incomplete character, shown as escapes.
    mutating func finish() -> String {
        defer { carry = [] }
        return carry.map(ReplayText.hexEscape).joined()
    }

    /// The length of the UTF-8 sequence at `index`; 0 when the byte there cannot start or continue valid UTF-8; nil
    /// when the bytes end before a sequence that is valid so far is complete.
    private static func sequenceLength(_ bytes: [UInt8], at index: Int) -> Int? {
        let length: Int
        let second: ClosedRange<UInt8>
        switch bytes[index] {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: (length, second) = (2, 0x80...0xBF)
        case 0xE0: (length, second) = (3, 0xA0...0xBF)
        case 0xE1...0xEC, 0xEE...0xEF: (length, second) = (3, 0x80...0xBF)
        case 0xED: (length, second) = (3, 0x80...0x9F)
        case 0xF0: (length, second) = (4, 0x90...0xBF)
        case 0xF1...0xF3: (length, second) = (4, 0x80...0xBF)
        case 0xF4: (length, second) = (4, 0x80...0x8F)
        default: return 0
        }
        for offset in 1..<length {
            guard index + offset < bytes.count else { return nil }
            let allowed = offset == 1 ? second : 0x80...0xBF
            guard allowed.contains(bytes[index + offset]) else { return 0 }
        }
        return length
    }
}
