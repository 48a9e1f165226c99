/// One classified statement of a SQL text.
///
/// Everything a guardrail needs is lexical: the verb, every class the statement or anything nested in it falls
/// into, the tables it touches and the functions it calls. Policy must never fall back to substring matching on
/// `text`; `normalized` exists for display, audit and exact-match allow lists.
///
/// Conservative readings, documented because policies depend on them:
/// - `EXPLAIN` carries the classes of the explained statement with or without `ANALYZE`.
/// - A WHERE that is trivially true counts as no WHERE: a WHERE without any column reference (`WHERE true`,
///   `WHERE 1 = 1`, `WHERE $1`), one whose only comparison has identical sides (`WHERE id = id`), or an OR with
///   such a branch (`WHERE id = 5 OR 1 = 1`). Other tautologies are not recognised.
/// - `INSERT ... ON CONFLICT DO UPDATE` and MySQL `ON DUPLICATE KEY UPDATE` also carry `update`; MERGE carries
///   the classes of its WHEN actions; MySQL `REPLACE` carries `insert` and `delete`.
/// - Bodies that run later but are visible now (CREATE RULE actions, SQL function bodies in either form, CREATE
///   VIEW and CREATE TABLE queries, MySQL trigger bodies) contribute their classes, tables and calls. A routine in
///   any other language is `define_routine` (its body can build SQL at run time), as are triggers, event triggers,
///   rules, extensions, languages and transforms.
package struct SQLStatement: Sendable {
    /// The statement's source text from its first token to its last (surrounding comments excluded).
    package var text: String
    /// Comments removed, tokens joined by one space, unquoted identifiers and keywords lowercased, quoted
    /// identifiers unquoted exactly, string literals decoded and re-rendered as `'...'` with `'` doubled.
    package var normalized: String
    /// The leading keyword lowercased; for `WITH ...` the verb of the main statement, for a statement that starts
    /// with a parenthesis the verb inside it. Empty when the statement starts with no keyword.
    package var verb: String
    /// Every class the statement and anything nested in it falls into.
    package var classes: Set<SQLStatementClass>
    /// Tables (and other relations: views, foreign tables) it reads, writes, locks, alters or drops.
    package var tables: [SQLObjectName]
    /// Functions and procedures it calls anywhere, including trigger functions named by CREATE TRIGGER.
    package var functions: [SQLObjectName]
    /// True when part of the statement runs code the analyser cannot see: DO blocks, unknown verbs, MySQL
    /// PREPARE from a variable. The broker refuses opaque statements on guarded resources.
    package var opaque: Bool
    /// For `PREPARE name AS statement` (or MySQL `PREPARE name FROM 'text'`): the name and the prepared statement,
    /// so the broker can remember what a later `EXECUTE name` runs.
    package var prepared: SQLPreparedStatement?
    /// For `EXECUTE name` (and `CREATE TABLE ... AS EXECUTE name`): the prepared statement's name.
    package var executedName: String?
    /// For `DEALLOCATE`: which prepared statements it forgets.
    package var deallocation: SQLDeallocation?
    /// For CREATE, ALTER, DROP and COMMENT: the kind of object, e.g. `table`, `materialized view`, `database`.
    package var objectType: String?
    /// For statements of class `set_client_encoding`: the encoding each change names, as written; nil where the
    /// value is not a literal the analyser can read (a set_config() argument, a subquery).
    package var clientEncodings: [String?] = []
    /// For statements of class `set_session_mode`: the MySQL `sql_mode` each change sets, as written; nil where the
    /// value is not a literal the analyser can read, or the change is to session tracking itself.
    package var sqlModes: [String?] = []

    /// Whether the statement falls into `statementClass`.
    package func isClass(_ statementClass: SQLStatementClass) -> Bool {
        classes.contains(statementClass)
    }
}

/// A statement prepared under a name; a box, because a statement may contain the statement it prepares.
package struct SQLPreparedStatement: Sendable {
    private indirect enum Storage: Sendable {
        case statement(SQLStatement)
    }

    /// The prepared statement's name as the server folds it.
    package var name: String
    private var storage: Storage

    /// The statement that `EXECUTE name` will run.
    package var statement: SQLStatement {
        switch storage {
        case .statement(let statement): return statement
        }
    }

    init(name: String, statement: SQLStatement) {
        self.name = name
        self.storage = .statement(statement)
    }
}

/// What a DEALLOCATE statement forgets.
package enum SQLDeallocation: Sendable, Hashable {
    /// `DEALLOCATE ALL`.
    case all
    /// `DEALLOCATE [PREPARE] name`.
    case named(String)
}

extension SQLStatement {
    /// The statement as a part of another (a SQL function's body): what a guardrail judges it by.
    var findings: SQLFindings {
        var findings = SQLFindings(verb: verb, classes: classes)
        findings.tables = tables
        findings.functions = functions
        findings.opaque = opaque
        findings.clientEncodings = clientEncodings
        findings.sqlModes = sqlModes
        findings.executedName = executedName
        return findings
    }
}
