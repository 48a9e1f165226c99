import Crypto
import Foundation
import MCP

/// One tool as an upstream lists it: its name, and its whole definition as canonical JSON with a fingerprint, so a
/// change to any of name, description, schemas or annotations is a different fingerprint.
struct MCPToolDefinition: Sendable, Equatable {
    let name: String
    let definition: Value
    let canonical: String
    let fingerprint: String

    init?(_ tool: Value) {
        guard case .object(let members) = tool, case .string(let name)? = members["name"], !name.isEmpty else {
            return nil
        }
        self.name = name
        self.definition = tool
        let bytes = (try? JSONEncoder.mcpWire.encode(tool)) ?? Data()
        canonical = String(decoding: bytes, as: UTF8.self)
        fingerprint = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }

    /// A definition as pinned, to show agents while a changed one waits for approval.
    init?(pinned text: String) {
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(text.utf8)) else { return nil }
        self.init(value)
    }
}
