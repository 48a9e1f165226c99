import Foundation
import MCP

/// A request to a Kubernetes API server read the way its authorizer reads it: verb, resource (with subresource),
/// namespace and name, from the method and the path (`/api/v1/namespaces/prod/pods/web-1/exec`,
/// `/apis/apps/v1/namespaces/prod/deployments/web`), so guardrails read like RBAC rules.
///
/// An exec, attach or port-forward is a `create` of `pods/exec` (`pods/attach`, `pods/portforward`) whatever the
/// method: a WebSocket upgrade is a GET, and Kubernetes itself authorizes it as a create. A list with `watch=true`
/// (or the old `/watch/` prefix) is a `watch`; paths outside the API groups (`/version`, `/openapi/v3`) are
/// non-resource requests with the verb `get`.
struct KubernetesRequestAttributes: Sendable, Equatable {
    var verb: KubernetesVerb
    /// `pods`, `deployments`; nil for non-resource paths.
    var resource: String?
    var subresource: String?
    /// The API group (`""` for the core group, `apps`); nil for non-resource paths.
    var group: String?
    /// The namespace, `""` for cluster-scoped requests; a namespace object is its own namespace.
    var namespace: String
    var name: String?
    /// For exec and attach: the command, one argument per `command` parameter.
    var command: [String]

    /// Subresources that open a stream into a pod: authorized as `create` whatever the method.
    static let streaming: Set<String> = ["exec", "attach", "portforward"]

    init(_ request: HTTPRequestFacts) {
        var segments = request.target.segments[...]
        var group: String?
        switch segments.first {
        case "api":
            segments = segments.dropFirst(2)
            group = ""
        case "apis" where segments.count >= 3:
            group = segments.dropFirst().first
            segments = segments.dropFirst(3)
        default:
            group = nil
        }
        var watchPrefix = false
        if group != nil, segments.first == "watch" {
            watchPrefix = true
            segments = segments.dropFirst()
        }
        var namespace = ""
        if group != nil, segments.first == "namespaces", segments.count >= 3 {
            namespace = segments.dropFirst().first ?? ""
            segments = segments.dropFirst(2)
        }
        let parts = Array(segments)
        self.group = group
        resource = group == nil ? nil : parts.first
        name = group == nil ? nil : parts.dropFirst().first
        subresource = group == nil ? nil : parts.dropFirst(2).first
        if resource == "namespaces", let name { namespace = name }
        self.namespace = namespace
        command = request.query["command"].map(Self.strings) ?? []
        let watching =
            watchPrefix || request.query["watch"].map(Self.strings)?.contains { $0 == "true" || $0 == "1" } == true
        // A non-resource request (or an API group's discovery document) names no collection: a GET of it is a `get`.
        verb = Self.verb(
            method: request.methods[0], named: name != nil || resource == nil, watching: watching,
            streaming: subresource.map(Self.streaming.contains) ?? false)
    }

    /// `pods/exec` for a subresource, `pods` otherwise.
    var fullResource: String? {
        resource.map { resource in subresource.map { "\(resource)/\($0)" } ?? resource }
    }

    /// `delete deployments/web in prod`, what refusals and approval requests name.
    var summary: String {
        guard let fullResource else { return "\(verb.rawValue) (non-resource)" }
        var text = "\(verb.rawValue) \(fullResource)"
        if let name { text += " \(name)" }
        if !namespace.isEmpty { text += " in \(namespace)" }
        if !command.isEmpty { text += ": \(command.joined(separator: " "))" }
        return text
    }

    /// The exec command as one shell line, each argument quoted, so the shell judge reads exactly the argument
    /// vector the container runs (`sh -c 'rm -rf /data'` judged as the `rm` it runs).
    var commandLine: String? {
        guard !command.isEmpty else { return nil }
        return command.map { argument in
            "'" + argument.replacingOccurrences(of: "'", with: "'\\''") + "'"
        }.joined(separator: " ")
    }

    private static func verb(method: String, named: Bool, watching: Bool, streaming: Bool) -> KubernetesVerb {
        if streaming { return .create }
        switch method {
        case "POST": return .create
        case "PUT": return .update
        case "PATCH": return .patch
        case "DELETE": return named ? .delete : .deletecollection
        default: return watching ? .watch : (named ? .get : .list)
        }
    }

    private static func strings(_ value: Value) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let items): items.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: []
        }
    }
}
