import MCP

/// What guardrails read of one request: the methods it may run as, its normalized target and its body.
struct HTTPRequestFacts: Sendable {
    /// The method sent, upper-cased, and any a framework could take instead (`_method` in the query or a form
    /// body, which Rails, Laravel and Symfony honour on POST): a rule on any of them applies.
    let methods: [String]
    let target: HTTPRequestTarget
    let query: [String: Value]
    let body: HTTPRequestBody

    init(method: String, target: HTTPRequestTarget, body: HTTPRequestBody) {
        self.target = target
        self.body = body
        let parameters = target.parameters
        query = HTTPRequestBody.fields(parameters)
        var methods = [method.uppercased()]
        var overrides = parameters.filter { $0.name == "_method" }.map(\.value)
        if case .fields(let fields) = body, let given = fields["_method"] {
            switch given {
            case .string(let text): overrides.append(text)
            case .array(let items): overrides += items.compactMap { if case .string(let t) = $0 { t } else { nil } }
            default: break
            }
        }
        for override in overrides where !methods.contains(override.uppercased()) {
            methods.append(override.uppercased())
        }
        self.methods = methods
    }

    /// The path as rules read it: the decoded segments, and the same without `;parameters`, which servlet
    /// containers and some routers strip before routing (`/users/1;x` is `/users/1` to them). Stripping comes
    /// before dot segments are resolved there, so the stripped reading resolves them again: Tomcat reads
    /// `/v1/x/..;/users/1` as `/v1/users/1`. A `..` that would climb above the root stays at the root.
    var pathReadings: [[String]] {
        var stripped: [String] = []
        for segment in target.segments {
            let bare = segment.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
            switch bare {
            case "", ".": continue
            case "..": _ = stripped.popLast()
            default: stripped.append(String(bare))
            }
        }
        return stripped == target.segments ? [target.segments] : [target.segments, stripped]
    }

    /// `DELETE /v1/users/3`, what refusals and approval requests name.
    var summary: String { "\(methods[0]) \(target.forwarded)" }
}
