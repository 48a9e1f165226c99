/// The characters of names the broker writes into file names and shows in tables — recording segments, broker
/// names: ASCII letters and digits, `.`, `_` and `-`. Nothing that could leave a folder, break a line or need quoting.
package enum PlainName {
    package static func allows(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }
}
