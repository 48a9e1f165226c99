/// Standard base64 (RFC 4648 §4, with `=` padding, no line breaks) written straight into a byte buffer.
///
/// Recording events carry relayed bytes as base64 inside their JSON line; encoding into the line itself saves the
/// three copies (`Array`, `Data`, `String`) that going through Foundation costs on every relayed chunk. The output
/// is byte for byte what `Data.base64EncodedString()` gives, which the tests check.
package enum Base64Appender {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The encoded length of `count` bytes.
    package static func encodedCount(_ count: Int) -> Int { (count + 2) / 3 * 4 }

    /// Appends the base64 of `bytes` to `output`.
    package static func append(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let start = output.count
        let length = encodedCount(bytes.count)
        output.append(contentsOf: repeatElement(UInt8(ascii: "="), count: length))
        alphabet.withUnsafeBufferPointer { table in
            output.withUnsafeMutableBufferPointer { out in
                var write = start
                var read = 0
                while read + 3 <= bytes.count {
                    let word = UInt32(bytes[read]) << 16 | UInt32(bytes[read + 1]) << 8 | UInt32(bytes[read + 2])
                    out[write] = table[Int(word >> 18 & 0x3F)]
                    out[write + 1] = table[Int(word >> 12 & 0x3F)]
                    out[write + 2] = table[Int(word >> 6 & 0x3F)]
                    out[write + 3] = table[Int(word & 0x3F)]
                    read += 3
                    write += 4
                }
                // One or two bytes left: two or three characters, the rest stays padding.
                let left = bytes.count - read
                guard left > 0 else { return }
                let word = UInt32(bytes[read]) << 16 | (left == 2 ? UInt32(bytes[read + 1]) << 8 : 0)
                out[write] = table[Int(word >> 18 & 0x3F)]
                out[write + 1] = table[Int(word >> 12 & 0x3F)]
                if left == 2 { out[write + 2] = table[Int(word >> 6 & 0x3F)] }
            }
        }
    }
}
