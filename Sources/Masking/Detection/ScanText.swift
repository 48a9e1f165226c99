/// The UTF-8 bytes of one value (or one stream window) as the detectors see them, with the neighbourhood checks
/// that keep detectors from firing inside longer tokens.
struct ScanText {
    let bytes: UnsafeBufferPointer<UInt8>

    @inline(__always) var count: Int { bytes.count }
    @inline(__always) subscript(_ index: Int) -> UInt8 { bytes[index] }

    /// The byte at `index`, or 0 outside the text, so neighbourhood checks need no bounds tests.
    @inline(__always) func byte(at index: Int) -> UInt8 {
        index >= 0 && index < bytes.count ? bytes[index] : 0
    }

    /// Whether a number-like token may start at `index`: not glued to a letter or digit, and not continuing a
    /// longer number such as `12.4111…` or `9-4111…`.
    func numberCanStart(at index: Int) -> Bool {
        let previous = byte(at: index - 1)
        if ASCII.isAlnum(previous) || previous == ASCII.underscore { return false }
        if previous == ASCII.dot || previous == ASCII.dash { return !ASCII.isDigit(byte(at: index - 2)) }
        return true
    }

    /// Whether a number-like token may end just before `index`: not followed by a letter or digit, and not by a
    /// separator that continues the number (`…4242.5`, `…4242-7`).
    func numberCanEnd(at index: Int) -> Bool {
        let next = byte(at: index)
        if ASCII.isAlnum(next) || next == ASCII.underscore { return false }
        if next == ASCII.dot || next == ASCII.dash { return !ASCII.isDigit(byte(at: index + 1)) }
        return true
    }

    /// Whether a word-like token (key, token, IBAN) may start at `index`: not glued to a word character.
    @inline(__always) func wordCanStart(at index: Int) -> Bool {
        let previous = byte(at: index - 1)
        return !(ASCII.isAlnum(previous) || previous == ASCII.underscore)
    }

    /// Whether a word-like token may end just before `index`.
    @inline(__always) func wordCanEnd(at index: Int) -> Bool {
        let next = byte(at: index)
        return !(ASCII.isAlnum(next) || next == ASCII.underscore)
    }

    /// Whether `literal` occurs at `index`.
    func matches(_ literal: StaticString, at index: Int) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard index >= 0, index + length <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<length where bytes[index + offset] != pointer[offset] { return false }
        return true
    }

    /// Whether `literal` occurs at `index`, comparing ASCII letters case-insensitively (`literal` is lower-case).
    func matchesIgnoringCase(_ literal: StaticString, at index: Int) -> Bool {
        let length = literal.utf8CodeUnitCount
        guard index >= 0, index + length <= bytes.count else { return false }
        let pointer = literal.utf8Start
        for offset in 0..<length where ASCII.lowercased(bytes[index + offset]) != pointer[offset] { return false }
        return true
    }

    /// The first index at or after `start` where `literal` occurs.
    func firstIndex(of literal: StaticString, from start: Int) -> Int? {
        let length = literal.utf8CodeUnitCount
        guard length > 0, bytes.count >= length else { return nil }
        let first = literal.utf8Start[0]
        var index = start
        while index <= bytes.count - length {
            if bytes[index] == first && matches(literal, at: index) { return index }
            index += 1
        }
        return nil
    }

    /// The end of the run of bytes satisfying `predicate` that starts at `start`.
    @inline(__always) func runEnd(from start: Int, limit: Int = .max, where predicate: (UInt8) -> Bool) -> Int {
        var index = start
        let end = min(bytes.count, limit)
        while index < end && predicate(bytes[index]) { index += 1 }
        return index
    }
}
