package import Foundation

/// The definition of one upstream MCP tool as the broker first saw it (or as an approver last re-approved it):
/// a tool whose name, description or input schema later differs is held until someone approves the new one, so an
/// upstream cannot change what an approved tool does behind its name ("rug pull").
package struct ToolPin: Sendable, Equatable {
    package var resource: String
    package var tool: String
    /// SHA-256 of `definition`.
    package var fingerprint: String
    /// The tool's definition (name, description, schemas, annotations) as canonical JSON: what agents are shown
    /// while a changed definition waits for approval.
    package var definition: String
    package var pinnedAt: Date
    /// Who the pin is owed to: `first use` or the approval that re-pinned it.
    package var pinnedBy: String

    package init(
        resource: String, tool: String, fingerprint: String, definition: String, pinnedAt: Date, pinnedBy: String
    ) {
        self.resource = resource
        self.tool = tool
        self.fingerprint = fingerprint
        self.definition = definition
        self.pinnedAt = pinnedAt
        self.pinnedBy = pinnedBy
    }
}
