/// Standard base64 (RFC 4648 §4, with `=` padding, no line breaks) written straight into a byte buffer.
///
/// Recording events carry relayed bytes as base64 inside their JSON line; encoding into the line itself saves the
/// three copies (`Array`, `Data`, `String`) that going through Foundation costs on every relayed chunk. The output
/// is byte for byte what `Data.base64EncodedString()` gives, which the tests check.
package enum Base64Appender {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The two characters of every 12-bit value, so each three input bytes cost two lookups and two stores
    /// rather than four of each: recordings of bulk streams spend much of their time here.
    private static let pairs: [UInt16] = (0..<4096).map { value in
        UInt16(alphabet[value >> 6]) | UInt16(alphabet[value & 0x3F]) << 8
    }

    /// The encoded length of `count` bytes.
    package static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Appends the base64 of `bytes` to `output`.
    package static func append(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let start = output.count
        let length = encodedCount(bytes.count)
        output.append(contentsOf: repeatElement(UInt8(ascii: "="), count: length))
        let whole = bytes.count / 3
        pairs.withUnsafeBufferPointer { pairs in
            output.withUnsafeMutableBytes { out in
                let destination = out.baseAddress! + start
                for group in 0..<whole {
                    let read = group * 3
                    let word = UInt32(bytes[read]) << 16 | UInt32(bytes[read + 1]) << 8 | UInt32(bytes[read + 2])
                    // Little-endian stores put the first character of each pair first.
                    destination.storeBytes(
                        of: pairs[Int(word >> 12)].littleEndian, toByteOffset: group * 4, as: UInt16.self)
                    destination.storeBytes(
                        of: pairs[Int(word & 0xFFF)].littleEndian, toByteOffset: group * 4 + 2, as: UInt16.self)
                }
                // One or two bytes left: two or three characters, the rest stays padding.
                let read = whole * 3
                let left = bytes.count - read
                guard left > 0 else { return }
                let word = UInt32(bytes[read]) << 16 | (left == 2 ? UInt32(bytes[read + 1]) << 8 : 0)
                let tail = destination + whole * 4
                tail.storeBytes(of: alphabet[Int(word >> 18 & 0x3F)], as: UInt8.self)
                tail.storeBytes(of: alphabet[Int(word >> 12 & 0x3F)], toByteOffset: 1, as: UInt8.self)
                if left == 2 { tail.storeBytes(of: alphabet[Int(word >> 6 & 0x3F)], toByteOffset: 2, as: UInt8.self) }
            }
        }
    }
}
