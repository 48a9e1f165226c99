import Foundation
import PostgresWire

/// Text in a PostgreSQL client encoding, as bytes, through the C library's iconv (for tests that must send what a
/// client in that encoding sends).
enum EncodedText {
    /// iconv's name for each encoding; SQL_ASCII sends UTF-8 unconverted (the server checks it as UTF-8).
    static let iconvNames: [PostgresEncoding: String] = [
        .sqlASCII: "UTF-8", .utf8: "UTF-8", .eucJP: "EUC-JP", .eucCN: "EUC-CN", .eucKR: "EUC-KR", .eucTW: "EUC-TW",
        .eucJIS2004: "EUC-JISX0213", .latin1: "ISO-8859-1", .latin2: "ISO-8859-2", .latin3: "ISO-8859-3",
        .latin4: "ISO-8859-4", .latin5: "ISO-8859-9", .latin6: "ISO-8859-10", .latin7: "ISO-8859-13",
        .latin8: "ISO-8859-14", .latin9: "ISO-8859-15", .latin10: "ISO-8859-16", .win1256: "CP1256",
        .win1258: "CP1258", .win866: "CP866", .win874: "CP874", .koi8r: "KOI8-R", .win1251: "CP1251",
        .win1252: "CP1252", .iso88595: "ISO-8859-5", .iso88596: "ISO-8859-6", .iso88597: "ISO-8859-7",
        .iso88598: "ISO-8859-8", .win1250: "CP1250", .win1253: "CP1253", .win1254: "CP1254", .win1255: "CP1255",
        .win1257: "CP1257", .koi8u: "KOI8-U", .sjis: "CP932", .big5: "BIG5", .gbk: "GBK", .uhc: "CP949",
        .gb18030: "GB18030", .johab: "JOHAB", .shiftJIS2004: "SHIFT_JISX0213",
    ]

    /// `text` in `encoding`, or nil when iconv cannot convert it (a character the encoding lacks).
    static func bytes(_ text: String, in encoding: PostgresEncoding) -> [UInt8]? {
        guard let name = iconvNames[encoding] else { return nil }
        let converter = iconv_open(name, "UTF-8")
        guard converter != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(converter) }
        var input = Array(text.utf8).map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: input.count * 4 + 16)
        let inputCount = input.count
        let outputCount = output.count
        let converted: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress
                var outPointer = outBuffer.baseAddress
                var inLeft = inputCount
                var outLeft = outputCount
                let result = iconv(converter, &inPointer, &inLeft, &outPointer, &outLeft)
                return result == -1 || inLeft != 0 ? nil : outputCount - outLeft
            }
        }
        guard let converted else { return nil }
        return output[..<converted].map { UInt8(bitPattern: $0) }
    }
}
