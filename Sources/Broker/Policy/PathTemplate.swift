/// The `path:` of an HTTP guardrail, matched against the request's decoded, normalized path segment by segment:
/// `*` (or `?`) within a segment matches any run (or one character) but never crosses a `/`; a `**` segment matches
/// any number of segments, none included; `{name}` is a whole-segment wildcard, so a template reads as API
/// references write it (`/v1/users/{id}`).
package struct PathTemplate: Sendable, Equatable, CustomStringConvertible {
    package let description: String
    private let segments: [String]

    package init(_ text: String) throws(PathTemplateError) {
        guard text.hasPrefix("/") else { throw PathTemplateError(message: "must start with /") }
        description = text
        segments = text.split(separator: "/").map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? "*" : String(segment)
        }
        if segments.contains(where: { $0 == "." || $0 == ".." }) {
            throw PathTemplateError(message: "has a . or .. segment, which normalized paths never contain")
        }
    }

    /// Whether the template matches `path`, both compared lowercased when the target's paths are case-insensitive.
    func matches(_ path: [String], caseInsensitive: Bool) -> Bool {
        let template = caseInsensitive ? segments.map { $0.lowercased() } : segments
        let path = caseInsensitive ? path.map { $0.lowercased() } : path
        return Self.matches(template[...], path[...])
    }

    private static func matches(_ template: ArraySlice<String>, _ path: ArraySlice<String>) -> Bool {
        guard let first = template.first else { return path.isEmpty }
        if first == "**" {
            // Any number of segments, then the rest of the template.
            return path.indices.contains { matches(template.dropFirst(), path[$0...]) }
                || matches(template.dropFirst(), path[path.endIndex...])
        }
        guard let segment = path.first, NamePattern.glob(first, segment) else { return false }
        return matches(template.dropFirst(), path.dropFirst())
    }
}

/// A `path:` template that cannot match any normalized path.
package struct PathTemplateError: Error, Sendable {
    package var message: String
}
