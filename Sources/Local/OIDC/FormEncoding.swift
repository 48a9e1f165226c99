/// `application/x-www-form-urlencoded`, which OAuth token and device endpoints require (RFC 6749 appendix B).
enum FormEncoding {
    /// Encodes fields in order, percent-encoding everything but RFC 3986 unreserved characters.
    static func encode(_ fields: [(String, String)]) -> String {
        fields.map { "\(Self.escape($0.0))=\(Self.escape($0.1))" }.joined(separator: "&")
    }

    /// Percent-encodes a name or value. Client credentials are escaped this way too before Basic authentication
    /// (RFC 6749 §2.3.1).
    static func escape(_ text: String) -> String {
        var escaped = ""
        for byte in text.utf8 {
            if Self.isUnreserved(byte) {
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                let hex = String(byte, radix: 16, uppercase: true)
                escaped += byte < 0x10 ? "%0\(hex)" : "%\(hex)"
            }
        }
        return escaped
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default:
            false
        }
    }
}
