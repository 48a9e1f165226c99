/// JSON string escapes (RFC 8259 §7), read; `CanonicalJSON` writes them.
enum JSONText {
    /// The text of a string token, quotes included; nil when an escape is malformed. Unpaired surrogates and bytes
    /// that are not UTF-8 read as U+FFFD, as lenient parsers read them.
    static func decodeString(_ token: ArraySlice<UInt8>) -> String? {
        guard token.count >= 2 else { return nil }
        let body = token.dropFirst().dropLast()
        guard body.contains(UInt8(ascii: "\\")) else { return String(decoding: body, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(body.count)
        var index = body.startIndex
        var pendingHigh: UInt32?
        func flushHigh() {
            if pendingHigh != nil { bytes.append(contentsOf: Array("\u{FFFD}".utf8)) }
            pendingHigh = nil
        }
        while index < body.endIndex {
            let byte = body[index]
            guard byte == UInt8(ascii: "\\") else {
                flushHigh()
                bytes.append(byte)
                index += 1
                continue
            }
            guard index + 1 < body.endIndex else { return nil }
            let escape = body[index + 1]
            if escape == UInt8(ascii: "u") {
                guard index + 5 < body.endIndex else { return nil }
                var unit: UInt32 = 0
                for digit in body[(index + 2)...(index + 5)] {
                    guard let value = PercentEncoding.hexValue(digit) else { return nil }
                    unit = unit << 4 | UInt32(value)
                }
                index += 6
                switch unit {
                case 0xD800...0xDBFF:
                    flushHigh()
                    pendingHigh = unit
                case 0xDC00...0xDFFF:
                    if let high = pendingHigh {
                        let scalar = 0x10000 + ((high - 0xD800) << 10) + (unit - 0xDC00)
                        bytes.append(contentsOf: Array(String(Unicode.Scalar(scalar)!).utf8))
                        pendingHigh = nil
                    } else {
                        bytes.append(contentsOf: Array("\u{FFFD}".utf8))
                    }
                default:
                    flushHigh()
                    bytes.append(contentsOf: Array(String(Unicode.Scalar(unit)!).utf8))
                }
                continue
            }
            flushHigh()
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): bytes.append(escape)
            case UInt8(ascii: "b"): bytes.append(0x08)
            case UInt8(ascii: "f"): bytes.append(0x0C)
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            default: return nil
            }
            index += 2
        }
        flushHigh()
        return String(decoding: bytes, as: UTF8.self)
    }
}
