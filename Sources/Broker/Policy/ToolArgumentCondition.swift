import Foundation
import MCP

/// One `arguments:` condition of an MCP guardrail: the value at a dotted path in the call's arguments matches a
/// glob. Values are compared as an upstream that normalizes them could read them: trimmed and case-folded, numbers
/// and booleans by their JSON text; an array matches when any element does. A missing field does not match.
package struct ToolArgumentCondition: Sendable, Equatable {
    /// `project` or `filter.owner`.
    package var path: [String]
    package var pattern: String

    package init(path: String, pattern: String) {
        self.path = path.split(separator: ".").map(String.init)
        self.pattern = pattern.lowercased()
    }

    package var description: String { "\(path.joined(separator: ".")) ~ \(pattern)" }

    func holds(in arguments: [String: Value]) -> Bool {
        var value = Value.object(arguments)
        for key in path {
            guard case .object(let fields) = value, let next = fields[key] else { return false }
            value = next
        }
        return matches(value)
    }

    private func matches(_ value: Value) -> Bool {
        switch value {
        case .array(let items): items.contains(where: matches)
        case .string(let text): NamePattern.glob(pattern, Self.folded(text))
        case .int(let number): NamePattern.glob(pattern, String(number))
        case .double(let number): NamePattern.glob(pattern, String(number))
        case .bool(let flag): NamePattern.glob(pattern, String(flag))
        case .object, .null, .data: false
        }
    }

    private static func folded(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
    }
}
