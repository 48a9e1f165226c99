/// What a packet from the server means, given the command it answers and how far the answer has got: the same
/// first byte is an OK, the end of rows, a column count or a row depending on the phase, so only the response
/// tracker can say.
package enum MySQLServerPacket: Sendable, Equatable {
    case ok(MySQLOKPacket)
    case error(MySQLErrPacket)
    /// The end of a result set's rows (an EOF, or an OK with header 0xFE under CLIENT_DEPRECATE_EOF), or of a
    /// COM_STMT_FETCH batch, or the EOF some servers answer COM_SET_OPTION with.
    case endOfRows(statusFlags: MySQLServerStatus, warnings: UInt16)
    /// The first packet of a result set.
    case columnCount(Int)
    /// One column of the current result set, or of a prepared statement's result, or of COM_FIELD_LIST.
    case columnDefinition(MySQLColumnDefinition41, index: Int)
    /// One parameter of a statement being prepared.
    case parameterDefinition(MySQLColumnDefinition41)
    /// The EOF that ends a block of definitions (only without CLIENT_DEPRECATE_EOF), or the end of COM_FIELD_LIST.
    case endOfColumns
    case textRow(MySQLTextRow)
    case binaryRow(MySQLBinaryRow)
    case prepareOK(MySQLPrepareOK)
    /// The server asks for a client file (LOAD DATA LOCAL INFILE); the client's data, then an OK or ERR, follow.
    case localInfileRequest(String)
    /// COM_STATISTICS's answer, a human-readable string.
    case statistics(String)
    /// A packet the tracker does not interpret (COM_CHANGE_USER's authentication exchange, commands it does not
    /// know), passed on as it is.
    case other
}
