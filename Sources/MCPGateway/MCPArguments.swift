import MCP

/// A call's arguments, read by name and type; anything missing, mistyped or unknown is a JSON-RPC invalid-params
/// error that names it, so an agent learns exactly what to fix.
struct MCPArguments: Sendable {
    let tool: MCPToolName
    private let values: [String: Value]

    init(tool: MCPToolName, _ values: [String: Value]?, allowed: Set<String>) throws(MCPError) {
        self.tool = tool
        self.values = values ?? [:]
        if let unknown = self.values.keys.sorted().first(where: { !allowed.contains($0) }) {
            let names = allowed.sorted().joined(separator: ", ")
            throw .invalidParams("\(tool.rawValue) has no argument '\(unknown)' (it takes: \(names))")
        }
    }

    func requiredString(_ name: String) throws(MCPError) -> String {
        guard let text = try string(name), !text.isEmpty else {
            throw .invalidParams("\(tool.rawValue) needs '\(name)', a non-empty string")
        }
        return text
    }

    func string(_ name: String) throws(MCPError) -> String? {
        guard let value = values[name], !value.isNull else { return nil }
        guard let text = value.stringValue else {
            throw .invalidParams("\(tool.rawValue): '\(name)' must be a string")
        }
        return text
    }

    /// An integer in `range`; JSON numbers with no fraction count, so clients that send 5.0 are not refused.
    func integer(_ name: String, in range: ClosedRange<Int>) throws(MCPError) -> Int? {
        guard let value = values[name], !value.isNull else { return nil }
        let number: Int?
        if let whole = value.intValue {
            number = whole
        } else if let real = value.doubleValue, real.rounded() == real, abs(real) < 1e15 {
            number = Int(real)
        } else {
            number = nil
        }
        guard let number, range.contains(number) else {
            throw .invalidParams(
                "\(tool.rawValue): '\(name)' must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        }
        return number
    }

    /// `approval_id`: a request id from an earlier `pending_approval`.
    func approvalID() throws(MCPError) -> Int64? {
        try integer("approval_id", in: 1...Int(Int32.max)).map(Int64.init)
    }
}
