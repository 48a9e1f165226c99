/// Byte classes the detectors share. Everything they recognise is ASCII, so they scan UTF-8 bytes directly and
/// never decode characters.
enum ASCII {
    static let zero = UInt8(ascii: "0")
    static let nine = UInt8(ascii: "9")
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let dash = UInt8(ascii: "-")
    static let dot = UInt8(ascii: ".")
    static let colon = UInt8(ascii: ":")
    static let at = UInt8(ascii: "@")
    static let plus = UInt8(ascii: "+")
    static let underscore = UInt8(ascii: "_")
    static let slash = UInt8(ascii: "/")
    static let equals = UInt8(ascii: "=")
    static let openParen = UInt8(ascii: "(")
    static let closeParen = UInt8(ascii: ")")

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- zero < 10 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "A") < 26 }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte &- UInt8(ascii: "a") < 26 }
    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { isLower(byte | 0x20) }
    @inline(__always) static func isAlnum(_ byte: UInt8) -> Bool { isDigit(byte) || isLower(byte | 0x20) }
    @inline(__always) static func isHex(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20) &- UInt8(ascii: "a") < 6
    }
    @inline(__always) static func isUpperAlnum(_ byte: UInt8) -> Bool { isDigit(byte) || isUpper(byte) }
    @inline(__always) static func isBase64URL(_ byte: UInt8) -> Bool {
        isAlnum(byte) || byte == dash || byte == underscore
    }
    @inline(__always) static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == newline || byte == carriageReturn
    }
    @inline(__always) static func lowercased(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte | 0x20 : byte }
}
