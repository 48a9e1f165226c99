import PostgresWire
import SQLAnalysis

/// Applies a resource's guardrails to SQL texts, lexically: each statement of a text is classified by the SQL
/// analyser and checked against every rule; the strictest action wins. On a guarded resource, whatever the analyser
/// cannot read with certainty (a lexing problem, an opaque statement such as a DO block, EXECUTE of a statement this
/// connection never prepared) is refused rather than waved through.
///
/// One judge serves one client connection, because SQL-level PREPARE names live as long as the connection:
/// `EXECUTE name` is judged as the statement `PREPARE name` held.
struct StatementJudge {
    let rules: [GuardrailRule]
    let dialect: SQLDialect
    /// For PostgreSQL connections: whether non-ASCII names can be read as the server reads them (nil: always).
    let encodings: PostgresClientEncodingTracker?
    /// For MySQL connections: the session's lexical modes and character set as the server reported them. Without
    /// one every mode is unknown (texts are read every way) and non-ASCII text is refused.
    let mysqlModes: MySQLSessionModes?
    private var prepared: [String: SQLStatement] = [:]
    /// Judgements of texts whose verdict depends on nothing but the text and the rules, so repeating one (an
    /// unnamed Parse sent before every execution, a polling query) is not lexed again.
    private var remembered = JudgementCache()
    /// The MySQL modes `remembered` was judged under; a text reads differently under others.
    private var rememberedModes = MySQLLexicalModes.unknown

    init(
        rules: [GuardrailRule], dialect: SQLDialect, encodings: PostgresClientEncodingTracker? = nil,
        mysqlModes: MySQLSessionModes? = nil
    ) {
        self.rules = rules
        self.dialect = dialect
        self.encodings = encodings
        self.mysqlModes = mysqlModes
    }

    /// Whether a rule names objects or text, which a misread non-ASCII name could slip past.
    private var rulesReadNames: Bool {
        rules.contains { !$0.match.tables.isEmpty || !$0.match.functions.isEmpty || !$0.match.patterns.isEmpty }
    }

    /// True when the resource has guardrails; unguarded resources skip analysis entirely.
    var isGuarded: Bool { !rules.isEmpty }

    mutating func judge(_ sql: String) -> GuardrailJudgement {
        guard isGuarded else { return .allow }
        let modes = dialect == .mysql ? mysqlModes?.lexicalModes ?? .unknown : .unknown
        if modes != rememberedModes {
            remembered = JudgementCache()
            rememberedModes = modes
        }
        if dialect == .mysql, let refusal = mysqlSessionRefusal(sql) { return refusal }
        if let known = remembered[sql] { return known }
        let analysis = SQLAnalysis.analyze(sql, dialect: dialect, mysqlModes: modes)
        if let problem = analysis.problem {
            return .block(rule: "unreadable_sql", reason: "the broker cannot read this SQL safely: \(problem)")
        }
        if let encodings, !sql.utf8.allSatisfy({ $0 < 0x80 }), rulesReadNames, !encodings.namesReadable {
            return .block(
                rule: "client_encoding_unknown",
                reason: "the session's client encoding is not UTF8 (or is changing), so the broker cannot match "
                    + "non-ASCII names to this resource's rules; use UTF8")
        }
        var verdict = GuardrailJudgement.allow
        var changes: Set<SQLStatementClass> = []
        for statement in analysis.statements {
            verdict = GuardrailJudgement.stricter(verdict, judge(statement))
            changes.formUnion(effective(statement).classes.intersection([.setClientEncoding, .setSessionMode]))
            remember(statement)
        }
        // A refused text never reaches the server; one that may run may change the encoding before it reports.
        if case .block = verdict {} else { changesSent(changes) }
        if Self.dependsOnTextAlone(sql, analysis) { remembered[sql] = verdict }
        return verdict
    }

    /// Tells the trackers that a text which may change how the server reads later texts is on its way.
    private func changesSent(_ changes: Set<SQLStatementClass>) {
        if changes.contains(.setClientEncoding) {
            encodings?.changeSent()
            mysqlModes?.characterSetChangeSent()
        }
        if changes.contains(.setSessionMode) { mysqlModes?.sqlModeChangeSent() }
    }

    /// On MySQL, a text the broker cannot read as the server will, whatever it says: the session runs a grammar
    /// the broker does not know, or the text has non-ASCII bytes while the character set is unknown, changing, or
    /// not UTF-8 where rules read names. ASCII text lexes the same in every character set a session can have.
    private func mysqlSessionRefusal(_ sql: String) -> GuardrailJudgement? {
        if let unreadable = mysqlModes?.unreadable {
            return .block(rule: "unreadable_sql", reason: "the broker cannot read this session's SQL: \(unreadable)")
        }
        guard !sql.utf8.allSatisfy({ $0 < 0x80 }),
            !(mysqlModes?.nonASCIIReadable(rulesReadNames: rulesReadNames) ?? false)
        else { return nil }
        let set = mysqlModes?.unreadableCharacterSet.map { "is \($0)" } ?? "is unknown, changing or not utf8mb4"
        return .block(
            rule: "client_charset_unknown",
            reason: "the session's client character set \(set), so the broker cannot read non-ASCII text as the "
                + "server does; use utf8mb4")
    }

    /// Whether judging `sql` again would give the same verdict whatever the connection did in between: it is
    /// ASCII (so the client encoding cannot change how names read), and none of its statements reads or changes
    /// connection state the judge tracks (PREPARE, EXECUTE, DEALLOCATE, the client encoding).
    private static func dependsOnTextAlone(_ sql: String, _ analysis: SQLAnalysis) -> Bool {
        sql.utf8.allSatisfy { $0 < 0x80 }
            && analysis.statements.allSatisfy {
                $0.prepared == nil && $0.executedName == nil && $0.deallocation == nil
                    && !$0.isClass(.setClientEncoding) && !$0.isClass(.setSessionMode)
            }
    }

    /// The statement with what it executes: an EXECUTE counts as the statement its name holds.
    private func effective(_ statement: SQLStatement) -> SQLStatement {
        var effective = statement
        if let name = statement.executedName, let target = prepared[name] {
            effective.classes.formUnion(target.classes)
            effective.tables += target.tables
            effective.functions += target.functions
            effective.opaque = effective.opaque || target.opaque
            effective.clientEncodings += target.clientEncodings
            effective.sqlModes += target.sqlModes
        }
        return effective
    }

    private func judge(_ statement: SQLStatement) -> GuardrailJudgement {
        if let name = statement.executedName, prepared[name] == nil {
            return .block(
                rule: "unknown_prepared_statement",
                reason: "EXECUTE \(name) runs a statement this connection did not prepare through the broker"
            )
        }
        let effective = effective(statement)
        if effective.opaque {
            return .block(rule: "opaque_statement", reason: Self.opaqueReason(effective))
        }
        if dialect == .mysql, let refusal = MySQLSessionRefusals.characterSet(effective) {
            return .block(rule: "client_charset_change", reason: refusal)
        }
        if dialect == .mysql, let refusal = MySQLSessionRefusals.sqlMode(effective) {
            return .block(rule: "sql_mode_change", reason: refusal)
        }
        if dialect == .postgres, let refusal = Self.clientEncodingRefusal(effective) {
            return .block(rule: "client_encoding_change", reason: refusal)
        }
        if effective.isClass(.setSearchPath) && rules.contains(where: \.match.namesTables) {
            return .block(
                rule: "search_path_change",
                reason: "changing the search path would hide table names from this resource's table rules"
            )
        }
        var verdict = GuardrailJudgement.allow
        for rule in rules {
            guard let reason = Self.matches(rule.match, effective) else { continue }
            verdict = GuardrailJudgement.stricter(verdict, rule.judgement(reason))
        }
        return verdict
    }

    /// Why an opaque statement is refused. A verb SQL does not have is most likely a typo, so it is named as such
    /// (with the likely verb) instead of being described as code the broker cannot inspect; it is refused all the
    /// same, since the server may read a word the broker does not know.
    static func opaqueReason(_ statement: SQLStatement) -> String {
        let verb = statement.verb
        if verb == "delimiter" {
            return "DELIMITER is a command of the mysql client, not SQL: the server never receives it and would "
                + "refuse it; send the statements it separates one by one"
        }
        guard !verb.isEmpty else {
            return "this statement runs code the broker cannot inspect, which a guarded resource does not allow"
        }
        guard !SQLVerbs.known.contains(verb) else {
            return "\(verb.uppercased()) runs code the broker cannot inspect, which a guarded resource does not allow"
        }
        let guess = SQLVerbs.suggestion(for: verb).map { " (did you mean \($0.uppercased())?)" } ?? ""
        return "\(verb.uppercased()) is not a SQL command the broker knows\(guess); a guarded resource refuses "
            + "what it cannot read"
    }

    /// Why a statement that may change the client encoding is refused: it names a client-only encoding, or an
    /// encoding the analyser cannot read. A server-safe encoding (UTF8, LATIN1, EUC_JP, ...) keeps every ASCII byte
    /// a character of its own, so the broker still splits and quotes the text as the server does.
    static func clientEncodingRefusal(_ statement: SQLStatement) -> String? {
        guard statement.isClass(.setClientEncoding) else { return nil }
        for value in statement.clientEncodings {
            guard let value else {
                return "this statement may change the client encoding to a value the broker cannot read; "
                    + "name the encoding in a plain SET client_encoding instead"
            }
            if let encoding = PostgresEncoding(named: value), encoding.isClientOnly {
                return "client encoding \(encoding.rawValue) lets multibyte characters hide \\, ' and \", so the "
                    + "broker could not read statements as the server does; use UTF8"
            }
        }
        return nil
    }

    /// What in `statement` the rule matches, or nil when nothing does.
    ///
    /// An unqualified table name matches a table rule for that name in any schema: which schema the server
    /// resolves it in depends on the effective search path (role and database defaults, `"$user"`, `pg_temp`),
    /// which the broker cannot know for certain, so it takes the reading that catches every possibility.
    static func matches(_ match: GuardrailMatch, _ statement: SQLStatement) -> String? {
        if let found = statement.classes.lazy.map(\.rawValue).filter(match.classes.contains).min() {
            return "statement class \(found)"
        }
        for table in statement.tables {
            if let pattern = match.tables.first(where: {
                $0.matches(schema: table.schema, name: table.name)
            }) {
                return "table \(table) (rule \(pattern))"
            }
        }
        for function in statement.functions {
            if let pattern = match.functions.first(where: {
                $0.matches(schema: function.schema, name: function.name)
            }) {
                return "function \(function) (rule \(pattern))"
            }
        }
        // The normalized text is often the statement as written; then one match says it all.
        if let pattern = match.patterns.first(where: {
            $0.matches(statement.text) || (statement.normalized != statement.text && $0.matches(statement.normalized))
        }) {
            return "pattern /\(pattern.source)/"
        }
        return nil
    }

    /// Tracks SQL-level PREPARE and DEALLOCATE so a later EXECUTE is judged as what it runs.
    private mutating func remember(_ statement: SQLStatement) {
        if let preparation = statement.prepared {
            prepared[preparation.name] = preparation.statement
        }
        switch statement.deallocation {
        case .all: prepared = [:]
        case .named(let name): prepared[name] = nil
        case nil: break
        }
    }
}
