/// A value after masking and what was masked in it. When nothing matched, `text` is the input unchanged and
/// `findings` is empty, so callers can forward the original bytes.
package struct MaskedText: Sendable {
    package var text: String
    package var findings: MaskingSummary

    package init(text: String, findings: MaskingSummary) {
        self.text = text
        self.findings = findings
    }
}

/// Raw bytes after masking (COPY data, stream chunks), and what was masked in them.
package struct MaskedBytes: Sendable {
    package var bytes: [UInt8]
    package var findings: MaskingSummary

    package init(bytes: [UInt8], findings: MaskingSummary) {
        self.bytes = bytes
        self.findings = findings
    }
}
