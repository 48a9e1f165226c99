import Foundation
import GRDB

extension SQLiteStore {
    package func toolPins(resource: String) async throws -> [String: ToolPin] {
        try await pool.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT tool, fingerprint, definition, pinned_at, pinned_by FROM mcp_tool_pins WHERE resource = ?",
                arguments: [resource])
            var pins: [String: ToolPin] = [:]
            for row in rows {
                let tool: String = row["tool"]
                pins[tool] = ToolPin(
                    resource: resource, tool: tool, fingerprint: row["fingerprint"], definition: row["definition"],
                    pinnedAt: row["pinned_at"],
                    pinnedBy: row["pinned_by"])
            }
            return pins
        }
    }

    package func pinTool(_ pin: ToolPin) async throws {
        try await pool.write { db in
            try db.execute(
                sql: """
                    INSERT INTO mcp_tool_pins (resource, tool, fingerprint, definition, pinned_at, pinned_by)
                    VALUES (?, ?, ?, ?, ?, ?)
                    ON CONFLICT (resource, tool) DO UPDATE SET
                        fingerprint = excluded.fingerprint, definition = excluded.definition, pinned_at = excluded.pinned_at,
                        pinned_by = excluded.pinned_by
                    """,
                arguments: [pin.resource, pin.tool, pin.fingerprint, pin.definition, pin.pinnedAt, pin.pinnedBy])
        }
    }
}
