import MCP

/// The JSON Schema pieces the tools' definitions share, so an argument that several tools take (`resource`,
/// `approval_id`, `reason`, `wait_seconds`) is described once and reads the same in every `tools/list` entry.
enum MCPSchema {
    /// An input object: only the named properties, `required` among them. Unknown arguments are refused anyway
    /// (`MCPArguments`), and the schema says so to clients that check before calling.
    static func input(_ properties: [String: Value], required: [String] = []) -> Value {
        var schema: [String: Value] = [
            "type": "object", "properties": .object(properties), "additionalProperties": false,
        ]
        if !required.isEmpty { schema["required"] = .array(required.map { .string($0) }) }
        return .object(schema)
    }

    /// An output object with the named properties, `required` among them.
    static func output(_ properties: [String: Value], required: [String]) -> Value {
        .object([
            "type": "object", "properties": .object(properties), "required": .array(required.map { .string($0) }),
        ])
    }

    static func string(_ description: String) -> Value {
        .object(["type": "string", "description": .string(description)])
    }

    /// A property of `type` with no description (output schemas).
    static func typed(_ type: String) -> Value {
        .object(["type": .string(type)])
    }

    static func resource(_ description: String = "A resource list_resources shows.") -> Value {
        string(description)
    }

    static let approvalID: Value = .object([
        "type": "integer", "description": "An approved request from an earlier pending_approval.",
    ])

    static func reason(_ description: String = "Why you need it; approvers see it.") -> Value {
        string(description)
    }

    static func waitSeconds(_ description: String) -> Value {
        .object([
            "type": "integer", "minimum": 0, "maximum": .int(MCPApprovalWaiter.longestWait),
            "description": .string(description),
        ])
    }
}
