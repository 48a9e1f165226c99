import Crypto

/// The broker's secret for `hash` tokens.
///
/// Tokens are HMAC-SHA-256 under this key rather than plain hashes because card numbers, SSNs and phone numbers have
/// so few possible values that an unkeyed hash could be reversed by enumerating them. The same key yields the same
/// token for the same value in every session, which is what lets masked columns still join.
///
/// Whoever can run queries can also choose values, so a key shared by every identity would turn tokens into an
/// equality oracle across people and resources. The broker therefore never uses its root key directly: it derives a
/// key per resource and, unless the resource opts into `hash_scope: resource`, per identity (``derived(scope:)``).
package struct MaskingKey: Sendable {
    private let key: SymmetricKey

    /// Uses `bytes` as the HMAC key; 32 random bytes from the broker's key store are the intended input.
    package init(bytes: some Collection<UInt8>) {
        self.key = SymmetricKey(data: Array(bytes))
    }

    /// A key for one scope (a resource, an identity): HMAC-SHA-256 of the scope's parts under this key. Tokens under
    /// different scopes are unrelated, and a derived key reveals nothing about the root key or its other scopes.
    package func derived(scope parts: [String]) -> MaskingKey {
        var mac = HMAC<SHA256>(key: key)
        mac.update(data: Array("hoop-masking-scope-v1".utf8))
        for part in parts {
            mac.update(data: [0x1F])
            mac.update(data: Array(part.utf8))
        }
        return MaskingKey(bytes: Array(mac.finalize()))
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
