/// Classifies the statements of one token stream.
///
/// The classifier is a keyword-directed walk, not a full grammar: it knows where each statement kind names tables,
/// where subqueries and data-modifying statements can nest, and which `name(` is a call. Parenthesised groups are
/// always analysed (a group that starts a query is classified as a statement, any other group is searched for
/// nested queries), so misjudging a clause can add findings but never hides a nested statement.
struct SQLClassifier {
    let tokens: [SQLToken]
    let source: SQLSource
    let dialect: SQLDialect
    /// The MySQL session modes, for texts analysed on their own (`PREPARE s FROM '...'`, routine bodies).
    let mysqlModes: MySQLLexicalModes
    /// For each parenthesis, the index of its partner; -1 for every other token.
    let partner: [Int]
    /// Indices of names that the walk identified as tables, aliases or definitions, so not calls.
    var notCalls: Set<Int> = []
    /// How many statements enclose the one being classified (`EXPLAIN EXPLAIN ...` nests without parentheses).
    private var nesting = 0
    /// Statements nested deeper are opaque rather than analysed, so a hostile text cannot exhaust the stack.
    static let maximumNesting = 64

    init(tokens: [SQLToken], source: SQLSource, dialect: SQLDialect, mysqlModes: MySQLLexicalModes = .unknown) {
        self.tokens = tokens
        self.source = source
        self.dialect = dialect
        self.mysqlModes = mysqlModes
        var partner = Array(repeating: -1, count: tokens.count)
        var open: [Int] = []
        for (index, token) in tokens.enumerated() where token.kind == .symbol {
            if token.value == "(" {
                open.append(index)
            } else if token.value == ")", let match = open.popLast() {
                partner[match] = index
                partner[index] = match
            }
        }
        self.partner = partner
    }

    /// The classified statement spanning `range`.
    mutating func statement(_ range: Range<Int>) -> SQLStatement {
        let findings = classify(range, ctes: [])
        return makeStatement(range, findings)
    }

    mutating func makeStatement(_ range: Range<Int>, _ findings: SQLFindings) -> SQLStatement {
        let calls = functionCalls(in: range)
        var classes = findings.classes.union(calls.settingClasses)
        var clientEncodings = findings.clientEncodings + calls.clientEncodings
        // UPDATE pg_settings runs set_config() for each row it changes, with values the analyser cannot know.
        if classes.contains(.update), findings.tables.contains(where: { $0.name == "pg_settings" }) {
            classes.formUnion([.setSearchPath, .setClientEncoding])
            clientEncodings.append(nil)
        }
        let first = tokens[range.lowerBound].range.lowerBound
        let last = tokens[range.upperBound - 1].range.upperBound
        return SQLStatement(
            text: source.text(first..<last),
            normalized: range.map { tokens[$0].normalized }.joined(separator: " "),
            verb: findings.verb,
            classes: classes,
            tables: Self.unique(findings.tables),
            functions: Self.unique(calls.names + findings.functions),
            opaque: findings.opaque,
            prepared: findings.prepared,
            executedName: findings.executedName,
            deallocation: findings.deallocation,
            objectType: findings.objectType,
            clientEncodings: clientEncodings,
            sqlModes: findings.sqlModes
        )
    }

    static func unique(_ names: [SQLObjectName]) -> [SQLObjectName] {
        var seen: Set<SQLObjectName> = []
        return names.filter { seen.insert($0).inserted }
    }

    // MARK: - Dispatch

    /// Classifies the statement in `range`; `ctes` are the CTE names visible to it, which are not tables.
    mutating func classify(_ range: Range<Int>, ctes: Set<String>) -> SQLFindings {
        guard let first = range.first else {
            return SQLFindings()
        }
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Self.maximumNesting {
            var findings = SQLFindings(classes: [.unknown])
            findings.opaque = true
            return findings
        }
        if tokens[first].isSymbol("(") {
            return startsQuery(range) ? walkQuery(range, ctes: ctes) : unknown(range)
        }
        guard tokens[first].kind == .word else {
            return unknown(range)
        }
        switch tokens[first].value {
        case "select", "values", "table", "insert", "update", "delete", "merge":
            return walkQuery(range, ctes: ctes)
        case "replace" where dialect == .mysql:
            return walkQuery(range, ctes: ctes)
        case "with":
            return classifyWith(range, ctes: ctes)
        case "create":
            return classifyCreate(range)
        case "drop":
            return classifyDrop(range)
        case "alter":
            return classifyAlter(range)
        case "truncate":
            return classifyTruncate(range)
        case "grant", "revoke":
            return classifyGrant(range)
        case "comment", "security":
            return classifyComment(range)
        case "copy":
            return classifyCopy(range)
        case "explain", "describe", "desc":
            return classifyExplain(range)
        case "prepare":
            return classifyPrepare(range)
        case "execute":
            return classifyExecute(range)
        case "deallocate":
            return classifyDeallocate(range)
        case "set" where dialect == .mysql:
            return classifyMySQLSet(range)
        case "set", "reset", "discard":
            return classifySetting(range)
        case "lock", "unlock", "vacuum", "analyze", "analyse", "cluster", "reindex", "refresh":
            return classifyMaintenance(range)
        case "declare":
            return classifyDeclare(range)
        case "load":
            return classifyLoad(range)
        case "rename" where dialect == .mysql:
            return classifyRename(range)
        case let verb where dialect == .mysql && SQLKeywords.mysqlCommands.contains(verb):
            return classifyMySQLCommand(range)
        default:
            return classifySimple(range)
        }
    }

    /// The table a MySQL SHOW reads the definition of: `SHOW [FULL] COLUMNS|FIELDS|INDEX|KEYS FROM|IN t [FROM|IN db]`
    /// and `SHOW CREATE TABLE|VIEW|TRIGGER t`. Column names and definitions are what a table rule protects too,
    /// and COM_FIELD_LIST reaches the judge as SHOW COLUMNS. The table is named unqualified as well, since the
    /// database may come in a second FROM.
    private mutating func showTables(_ range: Range<Int>, into findings: inout SQLFindings) {
        var index = range.lowerBound + 1
        if isWord(index, "create", in: range) {
            if let name = dottedName(at: index + 2, in: range) { addTable(name, to: &findings) }
            return
        }
        guard let from = firstAtTopLevel(from: index, in: range, where: { $0.isWord("from") || $0.isWord("in") }),
            let table = dottedName(at: from + 1, in: range)
        else { return }
        addTable(table, to: &findings)
        index = table.next
        if isWord(index, "from", in: range) || isWord(index, "in", in: range),
            let database = dottedName(at: index + 1, in: range)
        {
            let qualified = DottedName(
                parts: [database.parts[database.parts.count - 1], table.parts[table.parts.count - 1]],
                indices: table.indices, next: database.next)
            addTable(qualified, to: &findings)
        }
    }

    /// Verbs whose class follows from the verb alone.
    private mutating func classifySimple(_ range: Range<Int>) -> SQLFindings {
        let verb = tokens[range.lowerBound].value
        let simple: [String: SQLStatementClass] = [
            "call": .call, "show": .show, "listen": .listen, "unlisten": .listen, "notify": .notify,
            "import": .import, "fetch": .fetch, "move": .fetch, "close": .close, "checkpoint": .checkpoint,
            "reassign": .reassign,
        ]
        var findings = SQLFindings(verb: verb)
        if let statementClass = simple[verb] {
            findings.classes.insert(statementClass)
        } else if SQLKeywords.transactionVerbs.contains(verb) {
            findings.classes.insert(.transaction)
        } else if verb == "do" {
            findings.classes.insert(.do)
            findings.opaque = true
        } else if verb == "use" && dialect == .mysql {
            findings.classes.insert(.set)
        } else {
            return unknown(range)
        }
        if verb == "show" && dialect == .mysql {
            showTables(range, into: &findings)
        }
        if verb == "call", let name = dottedName(at: range.lowerBound + 1, in: range, function: true) {
            // MySQL calls a procedure without parentheses too.
            findings.functions.append(name.objectName)
        }
        walkExpression(range.dropFirst(), ctes: [], into: &findings)
        return findings
    }

    /// A statement the analyser cannot classify: class unknown, and opaque.
    mutating func unknown(_ range: Range<Int>) -> SQLFindings {
        let first = tokens[range.lowerBound]
        var findings = SQLFindings(verb: first.kind == .word ? first.value : "", classes: [.unknown])
        findings.opaque = true
        walkExpression(range.dropFirst(), ctes: [], into: &findings)
        return findings
    }

    // MARK: - Token helpers

    func isWord(_ index: Int, _ word: String, in range: Range<Int>) -> Bool {
        range.contains(index) && tokens[index].isWord(word)
    }

    func isSymbol(_ index: Int, _ symbol: String, in range: Range<Int>) -> Bool {
        range.contains(index) && tokens[index].isSymbol(symbol)
    }

    func word(_ index: Int, in range: Range<Int>) -> String? {
        range.contains(index) && tokens[index].kind == .word ? tokens[index].value : nil
    }

    /// The index after the words of `words` that appear in order from `index` (each optional).
    func skipWords(_ words: Set<String>, from index: Int, in range: Range<Int>) -> Int {
        var cursor = index
        while let word = word(cursor, in: range), words.contains(word) {
            cursor += 1
        }
        return cursor
    }

    /// The index after a parenthesised group starting at `index`, or `index` when none starts there.
    func afterGroup(_ index: Int, in range: Range<Int>) -> Int {
        isSymbol(index, "(", in: range) ? partner[index] + 1 : index
    }

    /// The first index at parenthesis depth zero, from `start`, whose token satisfies `matches`.
    func firstAtTopLevel(from start: Int, in range: Range<Int>, where matches: (SQLToken) -> Bool) -> Int? {
        var index = start
        while index < range.upperBound {
            if matches(tokens[index]) {
                return index
            }
            index = tokens[index].isSymbol("(") ? partner[index] + 1 : index + 1
        }
        return nil
    }

    /// A dotted name starting at `index`: its parts, the indices of its name tokens, and the index after it.
    struct DottedName {
        var parts: [String]
        var indices: [Int]
        var next: Int

        /// The last two parts as schema and name (a catalog qualifier is dropped).
        var objectName: SQLObjectName {
            SQLObjectName(schema: parts.count > 1 ? parts[parts.count - 2] : nil, name: parts[parts.count - 1])
        }
    }

    func dottedName(at index: Int, in range: Range<Int>, function: Bool = false) -> DottedName? {
        guard range.contains(index), tokens[index].isName else {
            return nil
        }
        var name = DottedName(parts: [namePart(index, function: function)], indices: [index], next: index + 1)
        while isSymbol(name.next, ".", in: range), range.contains(name.next + 1), tokens[name.next + 1].isName {
            name.parts.append(namePart(name.next + 1, function: function))
            name.indices.append(name.next + 1)
            name.next += 2
        }
        return name
    }

    /// A name part as the server resolves it (see `SQLObjectName`).
    private func namePart(_ index: Int, function: Bool) -> String {
        let token = tokens[index]
        if dialect == .mysql && token.kind == .word && !function {
            return source.text(token.range)
        }
        if dialect == .mysql && function {
            // MySQL function names are case-insensitive, quoted (`LOAD_FILE`) or not.
            return token.value.lowercased()
        }
        return token.value
    }

    /// Records a table reference (unless it names a visible CTE) and marks its tokens as not a call.
    mutating func addTable(_ name: DottedName, ctes: Set<String> = [], to findings: inout SQLFindings) {
        notCalls.formUnion(name.indices)
        if name.parts.count == 1 && ctes.contains(name.parts[0]) {
            return
        }
        findings.tables.append(name.objectName)
    }

    /// The object kind phrase (e.g. `materialized view`) at `index`, and the index after it.
    func objectType(at index: Int, in range: Range<Int>) -> (type: String, next: Int)? {
        for phrase in SQLKeywords.objectTypes
        where phrase.indices.allSatisfy({ isWord(index + $0, phrase[$0], in: range) }) {
            return (phrase.joined(separator: " "), index + phrase.count)
        }
        return nil
    }
}
