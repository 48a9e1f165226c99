import Crypto
import HoopCore

/// Unguessable identifiers and secrets from the system's CSPRNG (through swift-crypto's key generation), so no
/// caller picks a weaker source by habit.
enum RandomToken {
    /// `bytes` random bytes as lowercase hex.
    static func hex(bytes: Int) -> String {
        SymmetricKey(size: SymmetricKeySize(bitCount: bytes * 8)).withUnsafeBytes { Array($0) }.hexString
    }
}
