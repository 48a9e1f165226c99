/// Word lists the classifier relies on; each list says what a word means in one position.
enum SQLKeywords {
    /// Words that start a statement that may appear in parentheses as a subquery or data-modifying CTE body.
    static let queryStarters: Set<String> = [
        "select", "with", "values", "insert", "update", "delete", "merge", "table",
    ]

    /// Words that are syntax, not function names, when `(` follows them unqualified: reserved words, type names
    /// with a modifier (`numeric(10,2)`), and clause words that take a parenthesised list. PostgreSQL cannot call a
    /// user function by a reserved or column-name keyword, so none of these hides a call to a dangerous function.
    static let notFunctionNames: Set<String> = [
        "all", "analyse", "analyze", "and", "any", "array", "as", "asc", "asymmetric", "authorization", "between",
        "bigint", "binary", "bit", "boolean", "both", "by", "case", "cast", "char", "character", "check", "collate",
        "column", "concurrently", "conflict", "constraint", "create", "cross", "cube", "dec", "decimal", "default",
        "delete", "desc", "distinct", "do", "double", "else", "end", "except", "exclude", "exists", "explain",
        "fetch", "filter", "float", "for", "foreign", "freeze", "from", "full", "grant", "group", "having", "if",
        "ilike", "in", "include", "index", "inherits", "inner", "inout", "insert", "int", "integer", "intersect",
        "interval", "into", "is", "join", "key", "lateral", "leading", "like", "limit", "materialized", "merge",
        "national", "natural", "nchar", "none", "not", "null", "numeric", "offset", "on", "only", "operator",
        "options", "or", "order", "out", "outer", "over", "overlaps", "partition", "placing", "precision", "primary",
        "range", "real", "references", "returning", "revoke", "rollup", "row", "rows", "select", "set", "sets",
        "setof", "similar", "smallint", "some", "table", "tablesample", "then", "time", "timestamp", "to",
        "trailing", "union", "unique", "update", "using", "values", "varchar", "varying", "verbose", "when",
        "where", "window", "with", "within", "without",
    ]

    /// A name right after one of these words names an object being defined or referenced, never a call
    /// (`CREATE TABLE t (...)`, `INSERT INTO t (...)`, `DROP FUNCTION f(int)`, `x::numeric(10,2)`, `AS t(a, b)`).
    /// `EXECUTE FUNCTION f()` in a trigger definition is the exception and counts as a call.
    static let definingWords: Set<String> = [
        "aggregate", "as", "domain", "execute", "exists", "function", "index", "into", "key", "prepare", "procedure",
        "references", "routine", "sequence", "statistics", "table", "tablesample", "type", "view",
    ]

    /// Index access methods, which look like calls in `USING gin (column)`.
    static let indexMethods: Set<String> = ["btree", "hash", "gist", "gin", "spgist", "brin"]

    /// Words that cannot be a bare table alias because they continue the statement.
    static let notAliasWords: Set<String> = [
        "cross", "do", "except", "fetch", "for", "force", "from", "full", "group", "having", "ignore", "inner",
        "intersect", "into", "join", "left", "limit", "lock", "natural", "offset", "on", "order", "outer",
        "partition", "procedure", "returning", "right", "select", "set", "straight_join", "tablesample", "union",
        "use", "using", "values", "when", "where", "window", "with",
    ]

    /// Words that end a FROM list (and a WHERE clause) at their own level.
    static let clauseWords: Set<String> = [
        "except", "fetch", "for", "group", "having", "intersect", "into", "limit", "offset", "order", "returning",
        "select", "set", "union", "values", "when", "window",
    ]

    /// Words a trivially true WHERE may contain besides literals, operators and parameters.
    static let constantWords: Set<String> = [
        "all", "and", "any", "array", "as", "between", "bigint", "bool", "boolean", "case", "cast", "else", "end",
        "escape", "false", "ilike", "in", "int", "integer", "is", "like", "not", "null", "numeric", "or", "similar",
        "some", "symmetric", "text", "then", "to", "true", "unknown", "varchar", "when",
    ]

    /// Object kinds of CREATE, ALTER, DROP, COMMENT ON and SECURITY LABEL ON, longest phrases first.
    static let objectTypes: [[String]] = [
        ["text", "search", "configuration"], ["text", "search", "dictionary"], ["text", "search", "parser"],
        ["text", "search", "template"], ["foreign", "data", "wrapper"], ["access", "method"],
        ["default", "privileges"],
        ["event", "trigger"], ["foreign", "table"], ["large", "object"], ["materialized", "view"],
        ["operator", "class"], ["operator", "family"], ["procedural", "language"], ["user", "mapping"],
        ["aggregate"], ["cast"], ["collation"], ["column"], ["constraint"], ["conversion"], ["database"], ["domain"],
        ["event"], ["extension"], ["function"], ["group"], ["index"], ["language"], ["operator"], ["owned"],
        ["policy"], ["procedure"], ["publication"], ["role"], ["routine"], ["rule"], ["schema"], ["sequence"],
        ["server"], ["statistics"], ["subscription"], ["system"], ["table"], ["tablespace"], ["transform"],
        ["trigger"], ["type"], ["user"], ["view"],
    ]

    /// Object kinds whose definition binds code that runs later (`define_routine`); functions and procedures are
    /// judged by their language instead.
    static let routineBindingTypes: Set<String> = [
        "trigger", "event trigger", "rule", "extension", "language", "procedural language", "transform",
        "operator", "aggregate", "cast", "conversion", "access method", "foreign data wrapper", "text search parser",
        "text search template", "operator class", "operator family",
    ]

    /// Keys of CREATE OPERATOR / AGGREGATE definitions whose value names a function that later statements call
    /// implicitly (through the operator, the aggregate, the selectivity estimator).
    static let functionKeys: Set<String> = [
        "function", "procedure", "sfunc", "finalfunc", "combinefunc", "serialfunc", "deserialfunc", "msfunc",
        "minvfunc", "mfinalfunc", "restrict", "join",
    ]

    /// Object kinds that are relations, whose names belong in `SQLStatement.tables`.
    static let relationTypes: Set<String> = ["table", "foreign table", "view", "materialized view"]

    /// MySQL verbs with a meaning of their own there (see `classifyMySQLCommand`).
    static let mysqlCommands: Set<String> = ["begin", "do", "handler", "install", "kill", "shutdown", "uninstall"]

    /// Verbs of transaction control.
    static let transactionVerbs: Set<String> = [
        "abort", "begin", "commit", "end", "release", "rollback", "savepoint", "start", "xa",
    ]
}
