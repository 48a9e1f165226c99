#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Finds secrets that carry no recognisable prefix: runs of at least 32 characters of `[A-Za-z0-9+/_-]` (plus
/// base64 `=` padding) whose Shannon entropy is at least 4.0 bits per character and that either follow a key-ish
/// label (`secret=`, `"api_key": "…"`, `token:`, `Authorization: Bearer …`) or mix upper case, lower case and
/// digits.
///
/// Hex strings (git commit ids, SHA-256 digests, UUIDs without dashes) use only lower case and digits, so they never
/// fire on their own: logs are full of them and they are rarely secrets. After a key-ish label they do fire, at the
/// 3.0 bits per character a random hex string reaches, because then they usually are. A 40-character value after an
/// AWS secret-key label is reported as `[AWS_KEY]`.
enum GenericSecretDetector {
    /// Unlabelled runs longer than this are encoded payloads (images, certificates), not credentials.
    private static let longestUnlabelled = 256

    static func scan(_ text: ScanText, into collector: inout HitCollector) {
        var index = 0
        while index < text.count {
            guard isSecretByte(text[index]) else {
                index += 1
                continue
            }
            let start = index
            var end = text.runEnd(from: start, where: isSecretByte)
            index = end
            guard end - start >= 32 else { continue }
            var padding = 0
            while padding < 2 && text.byte(at: end + padding) == ASCII.equals { padding += 1 }
            if padding > 0 && !isSecretByte(text.byte(at: end + padding))
                && text.byte(at: end + padding) != ASCII.equals
            {
                end += padding
            }
            classify(text, start..<end, into: &collector)
            index = end
        }
    }

    @inline(__always) private static func isSecretByte(_ byte: UInt8) -> Bool {
        ASCII.isAlnum(byte) || byte == ASCII.plus || byte == ASCII.slash || byte == ASCII.underscore
            || byte == ASCII.dash
    }

    private static func classify(_ text: ScanText, _ run: Range<Int>, into collector: inout HitCollector) {
        var hasUpper = false
        var hasLower = false
        var hasDigit = false
        var isHex = true
        var slashes = 0
        for index in run {
            let byte = text[index]
            hasUpper = hasUpper || ASCII.isUpper(byte)
            hasLower = hasLower || ASCII.isLower(byte)
            hasDigit = hasDigit || ASCII.isDigit(byte)
            isHex = isHex && ASCII.isHex(byte)
            if byte == ASCII.slash { slashes += 1 }
        }
        let label = SecretLabel.before(text, run.lowerBound)
        let entropy = shannonEntropy(text, run)
        if label.isAWSSecret && run.count == 40 && entropy >= 3.5 {
            collector.add(run, .awsKey, specificity: 3)
        } else if label.isKeyish {
            if entropy >= (isHex ? 3.0 : 4.0) { collector.add(run, .secret, specificity: 1) }
        } else if hasUpper && hasLower && hasDigit && run.count <= longestUnlabelled && slashes * 8 <= run.count
            && entropy >= 4.0
        {
            collector.add(run, .secret, specificity: 1)
        }
    }

    /// Bits per character of the run's own character distribution.
    static func shannonEntropy(_ text: ScanText, _ run: Range<Int>) -> Double {
        withUnsafeTemporaryAllocation(of: Int.self, capacity: 128) { counts in
            counts.initialize(repeating: 0)
            for index in run { counts[Int(text[index] & 0x7F)] += 1 }
            let total = Double(run.count)
            var entropy = 0.0
            for count in counts where count > 0 {
                let probability = Double(count) / total
                entropy -= probability * log2(probability)
            }
            return entropy
        }
    }
}
