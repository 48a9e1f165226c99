import Crypto
import Foundation

/// Every signature in evidence is an Ed25519 signature over the canonical JSON of a statement that names its own
/// `type`, so a signature made for one kind of statement (a checkpoint) can never pass as another (a tombstone).
enum SignedStatement {
    static func sign(_ statement: JSONValue, with signer: any EvidenceSigner) throws -> String {
        Data(try signer.signature(over: CanonicalJSON.encode(statement))).base64EncodedString()
    }

    static func isValid(_ signature: String, over statement: JSONValue, by key: AuditPublicKey) -> Bool {
        key.isValidSignature(signature, for: CanonicalJSON.encode(statement))
    }
}
