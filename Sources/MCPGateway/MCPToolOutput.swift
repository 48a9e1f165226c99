import Foundation
import MCP

/// Turns a tool's structured output into an MCP result: the object as `structuredContent`, and the same JSON as
/// text for clients that read only `content`.
enum MCPToolOutput {
    static func result(_ output: some Encodable & Sendable, isError: Bool = false) throws -> CallTool.Result {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(output)
        let structured = try JSONDecoder().decode(Value.self, from: data)
        return try CallTool.Result(
            content: [.text(text: String(decoding: data, as: UTF8.self), annotations: nil, _meta: nil)],
            structuredContent: structured, isError: isError)
    }
}
