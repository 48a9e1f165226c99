package import NIOCore

/// The session-state information an OK packet carries under CLIENT_SESSION_TRACK (when the server status has
/// SERVER_SESSION_STATE_CHANGED): a list of typed entries, of which the system-variable changes matter to the broker,
/// since `sql_mode` and `character_set_client` decide how the server reads the next statement.
package enum MySQLSessionStateChanges {
    /// SESSION_TRACK_SYSTEM_VARIABLES: the entry's data is a length-encoded name and value.
    static let systemVariablesType: UInt8 = 0x00

    /// The system variables the entries report, in order; entries of other types are skipped.
    package static func systemVariables(in changes: ByteBuffer) throws(MySQLWireError) -> [(
        name: String, value: String
    )] {
        var buffer = changes
        var variables: [(name: String, value: String)] = []
        while buffer.readableBytes > 0 {
            let type = try buffer.readMySQLInteger(as: UInt8.self, "session state type")
            var data = try buffer.readMySQLLengthEncodedBytes("session state data")
            guard type == systemVariablesType else { continue }
            let name = try data.readMySQLLengthEncodedString("system variable name")
            let value = try data.readMySQLLengthEncodedString("system variable value")
            variables.append((name, value))
        }
        return variables
    }
}
