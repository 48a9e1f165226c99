/// libFuzzer's input, read front to back: targets take a few leading bytes as choices (which decoder, how to cut
/// the stream into reads) and the rest as the text or bytes under test. Reading past the end gives zeros and empty
/// slices, so every input means something.
public struct FuzzInput {
    public let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = Array(UnsafeBufferPointer(start: data, count: size))
    }

    public var isAtEnd: Bool { offset >= bytes.count }

    public mutating func byte() -> UInt8 {
        guard offset < bytes.count else { return 0 }
        defer { offset += 1 }
        return bytes[offset]
    }

    /// A big-endian 16-bit length.
    public mutating func length() -> Int {
        Int(byte()) << 8 | Int(byte())
    }

    public mutating func take(_ count: Int) -> ArraySlice<UInt8> {
        let end = min(bytes.count, offset + count)
        defer { offset = end }
        return bytes[offset..<end]
    }

    public mutating func rest() -> ArraySlice<UInt8> {
        take(bytes.count - offset)
    }

    /// The rest as text: invalid UTF-8 becomes U+FFFD, as it does where the broker decodes a peer's bytes leniently.
    public mutating func restText() -> String {
        String(decoding: rest(), as: UTF8.self)
    }

    /// The rest as text when it is valid UTF-8, for parsers the broker only hands valid text.
    public mutating func restUTF8() -> String? {
        String(validating: rest(), as: UTF8.self)
    }
}
