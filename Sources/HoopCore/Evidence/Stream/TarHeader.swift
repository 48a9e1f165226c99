/// One POSIX ustar header block (IEEE Std 1003.1, "pax" format's ustar base): the archive format evidence bundles
/// travel in from the broker, so a bundle streams file by file and an auditor can also unpack one with `tar x`.
/// Only what bundles need is spoken: regular files with relative paths, sizes below 8 GiB, fixed owner and mode.
package struct TarHeader: Sendable, Equatable {
    package static let blockSize = 512
    /// An archive ends with two blocks of zeros.
    package static let endOfArchive = [UInt8](repeating: 0, count: 2 * blockSize)
    /// The size field holds eleven octal digits.
    package static let maximumSize: Int64 = 0o77_777_777_777

    package var path: String
    package var size: Int64

    package init(path: String, size: Int64) {
        self.path = path
        self.size = size
    }

    /// Zeros that bring `size` bytes of content up to a whole block.
    package static func padding(after size: Int64) -> Int {
        Int((Int64(blockSize) - size % Int64(blockSize)) % Int64(blockSize))
    }

    // MARK: Encoding

    /// The header block; paths longer than the name field are split at a `/` into the prefix field.
    package func encoded() throws(TarError) -> [UInt8] {
        guard size >= 0, size <= Self.maximumSize else { throw TarError.tooLarge(path, size) }
        let (prefix, name) = try Self.split(path)
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        Self.put(name, at: Field.name, in: &block)
        Self.put("0000644", at: Field.mode, in: &block)
        Self.put("0000000", at: Field.uid, in: &block)
        Self.put("0000000", at: Field.gid, in: &block)
        Self.put(Self.octal(size, digits: 11), at: Field.size, in: &block)
        Self.put("00000000000", at: Field.mtime, in: &block)
        block[Field.typeflag.lowerBound] = UInt8(ascii: "0")
        Self.put("ustar", at: Field.magic, in: &block)
        Self.put("00", at: Field.version, in: &block)
        Self.put(prefix, at: Field.prefix, in: &block)
        let sum = Self.checksum(block)
        Self.put(Self.octal(Int64(sum), digits: 6), at: Field.checksum, in: &block)
        block[Field.checksum.lowerBound + 7] = UInt8(ascii: " ")
        return block
    }

    private static func split(_ path: String) throws(TarError) -> (prefix: String, name: String) {
        let bytes = Array(path.utf8)
        guard isRelativeInside(path), !bytes.contains(0) else { throw TarError.badPath(path) }
        if bytes.count <= Field.name.count { return ("", path) }
        for index in bytes.indices.reversed() where bytes[index] == UInt8(ascii: "/") {
            let prefix = bytes[..<index]
            let name = bytes[(index + 1)...]
            if prefix.count <= Field.prefix.count, !name.isEmpty, name.count <= Field.name.count {
                return (String(decoding: prefix, as: UTF8.self), String(decoding: name, as: UTF8.self))
            }
        }
        throw TarError.badPath(path)
    }

    private static func put(_ text: String, at field: Range<Int>, in block: inout [UInt8]) {
        for (offset, byte) in text.utf8.prefix(field.count).enumerated() { block[field.lowerBound + offset] = byte }
    }

    private static func octal(_ value: Int64, digits: Int) -> String {
        let text = String(value, radix: 8)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }

    // MARK: Decoding

    /// Reads a header block. Nil for a block of zeros (the end of the archive); an error for anything but a
    /// well-formed ustar header of a regular file with a relative path that stays inside the archive.
    package static func decode(_ block: ArraySlice<UInt8>) throws(TarError) -> TarHeader? {
        guard block.count == blockSize else { throw TarError.truncated }
        let bytes = Array(block)
        if bytes.allSatisfy({ $0 == 0 }) { return nil }
        guard let stored = number(bytes[Field.checksum]), stored == Int64(checksum(bytes)) else {
            throw TarError.badChecksum
        }
        guard Array(bytes[Field.magic].prefix(5)) == Array("ustar".utf8) else { throw TarError.notUstar }
        let type = bytes[Field.typeflag.lowerBound]
        guard type == UInt8(ascii: "0") || type == 0 else { throw TarError.notRegularFile(type) }
        guard let size = number(bytes[Field.size]), size <= maximumSize else { throw TarError.badSize }
        let name = text(bytes[Field.name])
        let prefix = text(bytes[Field.prefix])
        let path = prefix.isEmpty ? name : prefix + "/" + name
        guard isRelativeInside(path) else { throw TarError.badPath(path) }
        return TarHeader(path: path, size: size)
    }

    /// No leading `/`, no empty, `.` or `..` components, no NUL.
    package static func isRelativeInside(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/")
            && path.split(separator: "/", omittingEmptySubsequences: false).allSatisfy {
                !$0.isEmpty && $0 != "." && $0 != ".."
            }
    }

    /// The unsigned sum of the block's bytes with the checksum field counted as spaces.
    private static func checksum(_ block: [UInt8]) -> Int {
        block.indices.reduce(0) { sum, index in
            sum + (Field.checksum.contains(index) ? Int(UInt8(ascii: " ")) : Int(block[index]))
        }
    }

    /// An octal field: digits, optionally led by spaces and ended by NUL or space; nil for anything else.
    private static func number(_ field: ArraySlice<UInt8>) -> Int64? {
        let trimmed = field.drop { $0 == UInt8(ascii: " ") }.prefix { $0 != 0 && $0 != UInt8(ascii: " ") }
        guard !trimmed.isEmpty, trimmed.count <= 12,
            trimmed.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") })
        else { return nil }
        return trimmed.reduce(Int64(0)) { $0 * 8 + Int64($1 - UInt8(ascii: "0")) }
    }

    private static func text(_ field: ArraySlice<UInt8>) -> String {
        String(decoding: field.prefix { $0 != 0 }, as: UTF8.self)
    }

    /// Byte ranges of the header fields the bundles use.
    private enum Field {
        static let name = 0..<100
        static let mode = 100..<108
        static let uid = 108..<116
        static let gid = 116..<124
        static let size = 124..<136
        static let mtime = 136..<148
        static let checksum = 148..<156
        static let typeflag = 156..<157
        static let magic = 257..<263
        static let version = 263..<265
        static let prefix = 345..<500
    }
}

/// Why a tar stream could not be written or read.
package enum TarError: Error, Sendable, Equatable, CustomStringConvertible {
    case badPath(String)
    case tooLarge(String, Int64)
    case badChecksum
    case notUstar
    case notRegularFile(UInt8)
    case badSize
    case duplicate(String)
    /// The stream ended inside a header or a file, or without the two zero blocks.
    case truncated
    /// Bytes followed the end of the archive that were not zeros.
    case trailingData

    package var description: String {
        switch self {
        case .badPath(let path): "the path \(path.debugDescription) is not a relative path inside the archive"
        case .tooLarge(let path, let size): "\(path) is too large for the archive (\(size) bytes)"
        case .badChecksum: "a header's checksum does not match"
        case .notUstar: "a header is not a ustar header"
        case .notRegularFile(let type): "an entry is not a regular file (type \(UnicodeScalar(type)))"
        case .badSize: "a header's size is not an octal number"
        case .duplicate(let path): "\(path) appears twice"
        case .truncated: "the archive ends early"
        case .trailingData: "bytes follow the end of the archive"
        }
    }
}
