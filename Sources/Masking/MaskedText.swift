/// A value after masking and what was masked in it. When nothing matched, `text` is the input unchanged and
/// `findings` is empty, so callers can forward the original bytes.
public struct MaskedText: Sendable {
    public var text: String
    public var findings: MaskingSummary

    public init(text: String, findings: MaskingSummary) {
        self.text = text
        self.findings = findings
    }
}

/// Raw bytes after masking (COPY data, stream chunks), and what was masked in them.
public struct MaskedBytes: Sendable {
    public var bytes: [UInt8]
    public var findings: MaskingSummary

    public init(bytes: [UInt8], findings: MaskingSummary) {
        self.bytes = bytes
        self.findings = findings
    }
}
