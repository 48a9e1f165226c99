/// PostgreSQL sends text in the session's `client_encoding`, which need not be UTF-8 (LATIN1, KOI8, ...). The codec
/// still hands out `String`s, so it decodes losslessly: valid UTF-8 as itself, and any other byte sequence byte by
/// byte, ASCII as ASCII and each byte from 0x80 up as a private-use scalar (U+10FF80 to U+10FFFF) that the writer
/// turns back into that one byte. What the broker forwards is therefore byte-identical to what it read, whatever
/// the encoding. Text that really contains those private-use scalars is read byte by byte as well, so the round
/// trip is exact for every input; only its display in recordings differs.
package enum PostgresText {
    static let escapeBase: UInt32 = 0x10_FF00

    /// Decodes `bytes` (no NUL inside) without loss.
    static func decode(_ bytes: some Collection<UInt8>) -> String {
        let utf8 = String(decoding: bytes, as: UTF8.self)
        // Valid UTF-8 that itself contains the escape scalars is escaped too, so `encode` is exact for every input.
        if utf8.utf8.elementsEqual(bytes) && !hasRawBytes(utf8) { return utf8 }
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            scalars.append(Unicode.Scalar(byte < 0x80 ? UInt32(byte) : escapeBase + UInt32(byte))!)
        }
        return String(scalars)
    }

    /// The bytes `decode` read `text` from.
    static func encode(_ text: String) -> [UInt8] {
        // The escape scalars are encoded in UTF-8 as F4 8F BE xx / F4 8F BF xx: without an F4 byte there are none.
        guard text.utf8.contains(0xF4) else { return Array(text.utf8) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar.value >= escapeBase + 0x80 && scalar.value <= escapeBase + 0xFF {
                bytes.append(UInt8(scalar.value - escapeBase))
            } else {
                bytes.append(contentsOf: String(scalar).utf8)
            }
        }
        return bytes
    }

    /// True when `text` holds escaped bytes (so it is not displayable text as such).
    package static func hasRawBytes(_ text: String) -> Bool {
        text.utf8.contains(0xF4)
            && text.unicodeScalars.contains { $0.value >= escapeBase + 0x80 && $0.value <= escapeBase + 0xFF }
    }
}
