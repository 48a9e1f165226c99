import Crypto

/// The broker's secret for `hash` tokens.
///
/// Tokens are HMAC-SHA-256 under this key rather than plain hashes because card numbers, SSNs and phone numbers have
/// so few possible values that an unkeyed hash could be reversed by enumerating them. The same key yields the same
/// token for the same value in every session, which is what lets masked columns still join.
package struct MaskingKey: Sendable {
    private let key: SymmetricKey

    /// Uses `bytes` as the HMAC key; 32 random bytes from the broker's key store are the intended input.
    package init(bytes: some Collection<UInt8>) {
        self.key = SymmetricKey(data: Array(bytes))
    }

    /// The first 10 hex digits of HMAC-SHA-256 over the label, a 0x1F separator and the value; the separator keeps
    /// label and value from running into each other (`AB`+`C` vs `A`+`BC`).
    func tag(label: String, value: some Sequence<UInt8>) -> String {
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array(label.utf8))
        mac.update(data: [0x1F])
        mac.update(data: Array(value))
        let digest = mac.finalize()
        let hexDigits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(10)
        for byte in digest.prefix(5) {
            hex.append(hexDigits[Int(byte >> 4)])
            hex.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: hex, as: UTF8.self)
    }
}
