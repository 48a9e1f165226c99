/// Finds JSON Web Tokens: three base64url segments separated by dots whose first segment decodes to a JSON object
/// with an `alg` member. Checking the header keeps dotted identifiers (`a.b.c`, package names, hostnames) out.
enum JWTDetector {
    static func scan(_ text: ScanText, into collector: inout HitCollector) {
        var index = 0
        while index + 1 < text.count {
            if text[index] == UInt8(ascii: "e"), text[index + 1] == UInt8(ascii: "y"), text.wordCanStart(at: index),
                text.byte(at: index - 1) != ASCII.dash, let end = match(text, at: index)
            {
                collector.add(index..<end, .jwt, specificity: 3)
                index = end
            } else {
                index += 1
            }
        }
    }

    private static func match(_ text: ScanText, at start: Int) -> Int? {
        let headerEnd = text.runEnd(from: start, where: ASCII.isBase64URL)
        guard headerEnd - start >= 16, text.byte(at: headerEnd) == ASCII.dot else { return nil }
        let payloadEnd = text.runEnd(from: headerEnd + 1, where: ASCII.isBase64URL)
        guard payloadEnd - headerEnd - 1 >= 2, text.byte(at: payloadEnd) == ASCII.dot else { return nil }
        let signatureEnd = text.runEnd(from: payloadEnd + 1, where: ASCII.isBase64URL)
        guard text.byte(at: signatureEnd) != ASCII.dot, text.wordCanEnd(at: signatureEnd),
            text.byte(at: signatureEnd) != ASCII.dash,
            isJSONHeader(Base64URL.decode(text, start..<headerEnd))
        else { return nil }
        return signatureEnd
    }

    /// A JOSE header is a JSON object; every JWT header names its algorithm.
    private static func isJSONHeader(_ decoded: [UInt8]?) -> Bool {
        guard let decoded else { return false }
        let trimmed = decoded.drop(while: ASCII.isWhitespace).reversed().drop(while: ASCII.isWhitespace)
        guard trimmed.first == UInt8(ascii: "}"), trimmed.last == UInt8(ascii: "{") else { return false }
        let key = Array("\"alg\"".utf8)
        guard decoded.count >= key.count else { return false }
        for start in 0...(decoded.count - key.count) where decoded[start..<(start + key.count)].elementsEqual(key) {
            let rest = decoded[(start + key.count)...].drop(while: ASCII.isWhitespace)
            if rest.first == ASCII.colon { return true }
        }
        return false
    }
}

/// Unpadded base64url decoding, just enough to read a JWT header.
enum Base64URL {
    static func decode(_ text: ScanText, _ range: Range<Int>) -> [UInt8]? {
        guard range.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(range.count * 3 / 4)
        var buffer: UInt32 = 0
        var bits = 0
        for index in range {
            guard let value = sextet(text[index]) else { return nil }
            buffer = buffer << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: buffer >> UInt32(bits)))
            }
        }
        return output
    }

    private static func sextet(_ byte: UInt8) -> UInt8? {
        if ASCII.isUpper(byte) { return byte - UInt8(ascii: "A") }
        if ASCII.isLower(byte) { return byte - UInt8(ascii: "a") + 26 }
        if ASCII.isDigit(byte) { return byte - ASCII.zero + 52 }
        if byte == ASCII.dash { return 62 }
        if byte == ASCII.underscore { return 63 }
        return nil
    }
}
