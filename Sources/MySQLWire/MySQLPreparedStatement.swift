/// What the response tracker knows of a prepared statement: its parameter and column definitions from the prepare
/// response, and the columns of its last execute's result, which COM_STMT_FETCH rows are laid out by.
package struct MySQLPreparedStatement: Sendable, Equatable {
    package var parameters: [MySQLColumnDefinition41]
    package var columns: [MySQLColumnDefinition41]
    package var resultColumns: [MySQLColumnDefinition41]?

    package init(
        parameters: [MySQLColumnDefinition41] = [],
        columns: [MySQLColumnDefinition41] = [],
        resultColumns: [MySQLColumnDefinition41]? = nil
    ) {
        self.parameters = parameters
        self.columns = columns
        self.resultColumns = resultColumns
    }
}
