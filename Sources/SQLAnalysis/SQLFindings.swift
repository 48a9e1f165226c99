/// What the classifier learned about a statement or a part of it; parts fold into the statement that holds them.
struct SQLFindings {
    var verb = ""
    var classes: Set<SQLStatementClass> = []
    var tables: [SQLObjectName] = []
    /// Calls found in text analysed separately (MySQL `PREPARE s FROM '...'`); calls in the statement's own tokens
    /// are collected by one pass over them.
    var functions: [SQLObjectName] = []
    var opaque = false
    var prepared: SQLPreparedStatement?
    var executedName: String?
    var deallocation: SQLDeallocation?
    var objectType: String?
    /// See `SQLStatement.clientEncodings`.
    var clientEncodings: [String?] = []
    /// See `SQLStatement.sqlModes`.
    var sqlModes: [String?] = []

    init(verb: String = "", classes: Set<SQLStatementClass> = []) {
        self.verb = verb
        self.classes = classes
    }

    /// Takes in a nested part: its classes, objects and opacity, and the prepared name it executes.
    mutating func absorb(_ part: SQLFindings) {
        classes.formUnion(part.classes)
        tables.append(contentsOf: part.tables)
        functions.append(contentsOf: part.functions)
        opaque = opaque || part.opaque
        clientEncodings.append(contentsOf: part.clientEncodings)
        sqlModes.append(contentsOf: part.sqlModes)
        executedName = executedName ?? part.executedName
    }
}
