/// The name of an audit event's action, as written in the chain. One vocabulary, so a name cannot drift between
/// the place that writes it and the places that read it.
package struct AuditAction: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    package let rawValue: String
    package init(rawValue: String) { self.rawValue = rawValue }
    package var description: String { rawValue }
}
