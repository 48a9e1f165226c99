/// How much of a result an agent gets back. Results that go past a limit are cut at a row (or byte) boundary and
/// say so, with the full count, so the agent knows to narrow its question instead of trusting a partial answer.
package struct MCPResultLimits: Sendable, Equatable {
    /// Rows per statement when the call does not ask for fewer.
    package var rows: Int
    /// Bytes of cell text (or command output) per call, across all statements.
    package var bytes: Int

    package static let defaults = MCPResultLimits(rows: 200, bytes: 256 * 1024)
    /// The most rows a call may ask for.
    package static let mostRows = 5000

    package init(rows: Int, bytes: Int) {
        self.rows = rows
        self.bytes = bytes
    }
}
