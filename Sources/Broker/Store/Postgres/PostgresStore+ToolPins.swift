import Foundation
import PostgresNIO

extension PostgresStore {
    package func toolPins(resource: String) async throws -> [String: ToolPin] {
        let pins = try await rows(
            """
            SELECT tool, fingerprint, definition, pinned_at, pinned_by FROM mcp_tool_pins WHERE resource = \(resource)
            """
        ) { row in
            ToolPin(
                resource: resource, tool: try row["tool"].decode(String.self),
                fingerprint: try row["fingerprint"].decode(String.self),
                definition: try row["definition"].decode(String.self), pinnedAt: try row["pinned_at"].decode(Date.self),
                pinnedBy: try row["pinned_by"].decode(String.self))
        }
        return Dictionary(pins.map { ($0.tool, $0) }, uniquingKeysWith: { _, last in last })
    }

    package func pinTool(_ pin: ToolPin) async throws {
        try await client.query(
            """
            INSERT INTO mcp_tool_pins (resource, tool, fingerprint, definition, pinned_at, pinned_by)
            VALUES (\(pin.resource), \(pin.tool), \(pin.fingerprint), \(pin.definition), \(pin.pinnedAt),
                \(pin.pinnedBy))
            ON CONFLICT (resource, tool) DO UPDATE SET
                fingerprint = excluded.fingerprint, definition = excluded.definition, pinned_at = excluded.pinned_at,
                pinned_by = excluded.pinned_by
            """, logger: logger)
    }
}
