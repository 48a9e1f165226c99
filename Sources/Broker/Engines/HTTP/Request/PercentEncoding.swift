/// Percent-encoding as RFC 3986 defines it, and the form decoding (`+` as a space) query strings and
/// `application/x-www-form-urlencoded` bodies use.
enum PercentEncoding {
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func hexDigits(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(byte >> 4)], digits[Int(byte & 0xF)]], as: UTF8.self)
    }

    /// ALPHA / DIGIT / "-" / "." / "_" / "~": characters whose escaped and plain forms are equivalent.
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
            UInt8(ascii: "~"):
            true
        default: false
        }
    }

    /// Decodes every escape; nil when an escape is malformed or the result is not UTF-8. `plusIsSpace` reads `+`
    /// as form encoding does.
    static func decode(_ text: some StringProtocol, plusIsSpace: Bool = false) -> String? {
        decodedBytes(text, plusIsSpace: plusIsSpace).flatMap { String(validating: $0, as: UTF8.self) }
    }

    /// The bytes `text` escapes; nil when an escape is malformed.
    private static func decodedBytes(_ text: some StringProtocol, plusIsSpace: Bool) -> [UInt8]? {
        let bytes = Array(text.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "%"):
                guard index + 2 < bytes.count, let high = hexValue(bytes[index + 1]),
                    let low = hexValue(bytes[index + 2])
                else { return nil }
                out.append(high << 4 | low)
                index += 3
            case UInt8(ascii: "+") where plusIsSpace:
                out.append(UInt8(ascii: " "))
                index += 1
            case let byte:
                out.append(byte)
                index += 1
            }
        }
        return out
    }

    /// `name=value` pairs as every server could read them, so a rule sees each reading. Pairs are split at `&`,
    /// and again at `&` and `;` (older CGI libraries and some frameworks take `;` as a separator too). Each name and
    /// value reads with `+` as a space (form encoding) and, when it has one, as a literal `+` (routers that decode
    /// only escapes); escapes that are not UTF-8 read as ISO-8859-1, as servlet containers default to; a pair that
    /// does not decode keeps its raw text.
    static func formPairs(_ text: String) -> [(name: String, value: String)] {
        var splittings = [text.split(separator: "&")]
        if text.contains(";") { splittings.append(text.split(whereSeparator: { $0 == "&" || $0 == ";" })) }
        var seen: Set<[String]> = []
        var pairs: [(name: String, value: String)] = []
        for pair in splittings.joined() {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let value = parts.count > 1 ? parts[1] : ""
            for name in readings(parts[0]) {
                for value in readings(value) where seen.insert([name, value]).inserted {
                    pairs.append((name, value))
                }
            }
        }
        return pairs
    }

    /// The texts one form-encoded component reads as.
    private static func readings(_ component: Substring) -> [String] {
        let plus: [Bool] = component.contains("+") ? [true, false] : [true]
        let readings = plus.map { plusIsSpace in
            guard let bytes = decodedBytes(component, plusIsSpace: plusIsSpace) else { return String(component) }
            return String(validating: bytes, as: UTF8.self)
                ?? String(String.UnicodeScalarView(bytes.map { Unicode.Scalar($0) }))
        }
        return readings.count == 2 && readings[0] == readings[1] ? [readings[0]] : readings
    }
}
