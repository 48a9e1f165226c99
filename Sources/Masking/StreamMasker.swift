/// Masks a byte stream that arrives in arbitrary chunks (SSH output, HTTP bodies, COPY data), so a value split
/// across two reads is still caught.
///
/// Output is released only up to a point where no detector can be looking at an unfinished value:
/// - after the last newline (no detector matches across a line break except PEM keys, handled next);
/// - not past the `-----BEGIN … PRIVATE KEY-----` line of a key whose END line has not arrived;
/// - through the end when the stream pauses at a shell prompt (`$ `, `# `, `% `, `> `), so interactive sessions
///   stay responsive.
///
/// With those cuts, the concatenated output equals masking the whole stream at once. Whatever is held back never
/// exceeds `window` bytes: when a line grows past it, the oldest bytes are released anyway (without splitting a
/// value already found or a UTF-8 character), and a private key longer than the window is replaced by
/// `[PRIVATE_KEY]` and its remaining lines are suppressed until its END line. Streams that must show partial lines
/// promptly (an interactive shell echoing keystrokes) call ``finish()`` when input has been idle briefly; the masker
/// stays usable afterwards.
package struct StreamMasker: Sendable {
    /// The most bytes ever held back.
    package let window: Int
    private let masker: ValueMasker
    private var pending: [UInt8] = []
    /// The label of a private key already replaced whose remaining lines are being dropped.
    private var suppressedKeyLabel: [UInt8]? = nil
    /// Everything masked in this stream since it began, or since the last ``takeSummary()``.
    package private(set) var summary = MaskingSummary()

    package init(masker: ValueMasker, window: Int = 4096) {
        precondition(window > 0, "a stream masking window must hold at least one byte")
        self.masker = masker
        self.window = window
    }

    /// The number of bytes currently held back.
    package var heldBackCount: Int { pending.count }

    /// Accepts the next chunk and returns the masked output that is safe to emit now.
    package mutating func feed(_ bytes: some Collection<UInt8>) -> [UInt8] {
        pending.append(contentsOf: bytes)
        if suppressedKeyLabel != nil && !dropSuppressedKey() { return [] }
        let cut = releasePoint()
        return emit(upTo: cut)
    }

    /// Returns what was masked since the last call (or since the stream began) and starts counting afresh, for
    /// callers that report findings with each piece of output.
    package mutating func takeSummary() -> MaskingSummary {
        defer { summary = MaskingSummary() }
        return summary
    }

    /// Releases and masks everything still held back, e.g. at end of stream or when input has been idle.
    package mutating func finish() -> [UInt8] {
        if suppressedKeyLabel != nil && !dropSuppressedKey() {
            pending.removeAll()
            suppressedKeyLabel = nil
            return []
        }
        return emit(upTo: pending.count)
    }

    private mutating func emit(upTo cut: Int) -> [UInt8] {
        guard cut > 0 else { return [] }
        let masked = pending.withUnsafeBufferPointer { buffer in
            let released = UnsafeBufferPointer(rebasing: buffer[0..<cut])
            let hits = masker.findHits(in: released, customText: nil)
            return hits.isEmpty
                ? MaskedBytes(bytes: Array(released), findings: MaskingSummary())
                : masker.render(released, hits: hits)
        }
        pending.removeFirst(cut)
        summary.merge(masked.findings)
        return masked.bytes
    }

    /// Where held-back bytes begin; see the type's documentation for the rules.
    private mutating func releasePoint() -> Int {
        let count = pending.count
        let (natural, openKey) = pending.withUnsafeBufferPointer { buffer in
            let text = ScanText(bytes: buffer)
            let keys = masker.policy.detectors.contains(.privateKey) ? Self.privateKeyBlocks(text) : KeyBlocks()
            let limit = keys.open?.begin ?? count
            var cut = 0
            var index = limit - 1
            while index >= 0 {
                if buffer[index] == ASCII.newline {
                    cut = index + 1
                    break
                }
                index -= 1
            }
            if limit == count && Self.pausesAtPrompt(text) { cut = count }
            for block in keys.closed where block.lowerBound < cut && cut < block.upperBound {
                cut = block.lowerBound
            }
            return (cut, keys.open)
        }
        guard count - natural > window else { return natural }
        if let openKey, count - openKey.begin > window {
            suppressedKeyLabel = openKey.label
            return count
        }
        return forcedReleasePoint()
    }

    /// The release point when a line outgrows the window: the oldest bytes beyond the window, moved forward past any
    /// value found there and to a UTF-8 character boundary.
    private func forcedReleasePoint() -> Int {
        pending.withUnsafeBufferPointer { buffer in
            var cut = buffer.count - window
            for hit in DetectorHit.resolve(masker.findHits(in: buffer, customText: nil))
            where hit.range.lowerBound < cut && hit.range.upperBound > cut {
                cut = hit.range.upperBound
            }
            while cut < buffer.count && buffer[cut] & 0xC0 == 0x80 { cut += 1 }
            return cut
        }
    }

    /// Drops the rest of a suppressed private key through its END line; false while the END line has not arrived
    /// (only a possible partial END line is kept).
    private mutating func dropSuppressedKey() -> Bool {
        guard let label = suppressedKeyLabel else { return true }
        let marker = Array("-----END ".utf8) + label + Array("-----".utf8)
        if let start = pending.firstRange(of: marker) {
            pending.removeFirst(start.upperBound)
            suppressedKeyLabel = nil
            return true
        }
        pending.removeFirst(max(0, pending.count - min(marker.count - 1, window)))
        return false
    }

    /// The private keys in the held bytes: complete blocks, and the first one whose END line has not arrived yet.
    private struct KeyBlocks {
        var closed: [Range<Int>] = []
        var open: (begin: Int, label: [UInt8])? = nil
    }

    private static func privateKeyBlocks(_ text: ScanText) -> KeyBlocks {
        var blocks = KeyBlocks()
        var searchFrom = 0
        while let begin = text.firstIndex(of: PrivateKeyDetector.beginMarker, from: searchFrom) {
            searchFrom = begin + 1
            guard let label = PrivateKeyDetector.privateKeyLabel(text, afterBeginAt: begin) else { continue }
            let labelBytes = Array(UnsafeBufferPointer(rebasing: text.bytes[label]))
            let marker = Array("-----END ".utf8) + labelBytes + Array("-----".utf8)
            guard let end = text.bytes[label.upperBound...].firstRange(of: marker) else {
                blocks.open = (begin, labelBytes)
                return blocks
            }
            blocks.closed.append(begin..<end.upperBound)
            searchFrom = end.upperBound
        }
        return blocks
    }

    /// Whether the held bytes end in whitespace after a shell prompt character, where no value can be unfinished.
    private static func pausesAtPrompt(_ text: ScanText) -> Bool {
        var index = text.count - 1
        guard index >= 0, text[index] == ASCII.space else { return false }
        while index >= 0 && ASCII.isWhitespace(text[index]) { index -= 1 }
        guard index >= 0 else { return true }
        switch text[index] {
        case UInt8(ascii: "$"), UInt8(ascii: "#"), UInt8(ascii: "%"):
            return true
        case UInt8(ascii: ">"):
            return text.byte(at: index - 1) != ASCII.equals && text.byte(at: index - 1) != ASCII.dash
        default:
            return false
        }
    }
}
