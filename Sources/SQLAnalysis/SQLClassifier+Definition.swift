// MARK: - Definitions and privileges: CREATE, DROP, ALTER, TRUNCATE, GRANT, REVOKE, COMMENT, SECURITY LABEL

extension SQLClassifier {
    mutating func classifyCreate(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "create", classes: [.create])
        var index = range.lowerBound + 1
        var kind: (type: String, next: Int)?
        while index < min(range.upperBound, range.lowerBound + 12), !tokens[index].isSymbol("(") {
            if dialect == .mysql {
                // `DEFINER = user@host` names a user, not an object kind.
                index = afterDefiner(index, in: range)
            }
            kind = objectType(at: index, in: range)
            if kind != nil {
                break
            }
            index += 1
        }
        guard var kind else {
            walkDefinition(range.dropFirst(), into: &findings)
            return findings
        }
        if kind.type == "constraint", isWord(kind.next, "trigger", in: range) {
            kind = ("trigger", kind.next + 1)
        }
        findings.objectType = kind.type
        if SQLKeywords.routineBindingTypes.contains(kind.type) {
            findings.classes.insert(.defineRoutine)
            findings.functions += boundFunctions(kind.next..<range.upperBound, type: kind.type)
        }
        index = skipWords(["concurrently", "if", "not", "exists"], from: kind.next, in: range)
        let rest = index..<range.upperBound
        switch kind.type {
        case _ where SQLKeywords.relationTypes.contains(kind.type):
            createRelation(rest, into: &findings)
        case "index":
            if !isWord(index, "on", in: range), let name = dottedName(at: index, in: range) {
                notCalls.formUnion(name.indices)
                index = name.next
            }
            if isWord(index, "on", in: range) {
                index = skipWords(["only"], from: index + 1, in: range)
                if let table = dottedName(at: index, in: range) {
                    addTable(table, to: &findings)
                    index = table.next
                }
            }
            walkDefinition(index..<range.upperBound, into: &findings)
        case "rule":
            createRule(rest, into: &findings)
        case "trigger", "policy":
            if let on = firstAtTopLevel(from: index, in: range, where: { $0.isWord("on") }),
                let table = dottedName(at: on + 1, in: range)
            {
                addTable(table, to: &findings)
            }
            if dialect == .mysql, kind.type == "trigger",
                let each = firstAtTopLevel(from: index, in: range, where: { $0.isWord("each") }),
                isWord(each + 1, "row", in: range)
            {
                var body = each + 2
                if isWord(body, "follows", in: range) || isWord(body, "precedes", in: range) {
                    body += 2
                }
                findings.absorb(classify(body..<range.upperBound, ctes: []))
            }
            walkDefinition(rest, into: &findings)
        case "function", "procedure":
            createRoutine(rest, into: &findings)
        case "schema":
            createSchema(rest, into: &findings)
        case "event" where dialect == .mysql:
            // An event runs its body on a schedule, long after the broker judged the definition.
            findings.classes.insert(.defineRoutine)
            if let body = firstAtTopLevel(from: index, in: range, where: { $0.isWord("do") }) {
                findings.absorb(classify(body + 1..<range.upperBound, ctes: []))
            }
        default:
            walkDefinition(rest, into: &findings)
        }
        return findings
    }

    /// The name, column definitions, and query of CREATE TABLE / VIEW / MATERIALIZED VIEW / FOREIGN TABLE.
    private mutating func createRelation(_ range: Range<Int>, into findings: inout SQLFindings) {
        var index = range.lowerBound
        if let name = dottedName(at: index, in: range) {
            addTable(name, to: &findings)
            index = name.next
        }
        if dialect == .mysql, isWord(index, "like", in: range), let source = dottedName(at: index + 1, in: range) {
            addTable(source, to: &findings)
        }
        let query =
            firstAtTopLevel(from: index, in: range) { $0.isWord("as") }.map { $0 + 1 }
            ?? (dialect == .mysql
                ? firstAtTopLevel(from: index, in: range) { $0.isWord("select") || $0.isWord("with") } : nil)
        walkDefinition(index..<(query ?? range.upperBound), into: &findings)
        guard let query else {
            return
        }
        if isWord(query, "execute", in: range) {
            findings.classes.insert(.execute)
            if let name = dottedName(at: query + 1, in: range) {
                notCalls.formUnion(name.indices)
                findings.executedName = name.parts.last
            }
            walkExpression(query + 1..<range.upperBound, ctes: [], into: &findings)
        } else {
            findings.absorb(classify(query..<range.upperBound, ctes: []))
        }
    }

    /// `CREATE RULE name AS ON event TO table [WHERE ...] DO [ALSO|INSTEAD] {NOTHING | command | (commands)}`:
    /// the actions run whenever the rule fires, so their classes count.
    private mutating func createRule(_ range: Range<Int>, into findings: inout SQLFindings) {
        if let to = firstAtTopLevel(from: range.lowerBound, in: range, where: { $0.isWord("to") }),
            let table = dottedName(at: to + 1, in: range)
        {
            addTable(table, to: &findings)
        }
        guard let action = firstAtTopLevel(from: range.lowerBound, in: range, where: { $0.isWord("do") }) else {
            walkDefinition(range, into: &findings)
            return
        }
        walkDefinition(range.lowerBound..<action, into: &findings)
        let body = skipWords(["also", "instead"], from: action + 1, in: range)
        if isWord(body, "nothing", in: range) {
            return
        }
        if isSymbol(body, "(", in: range) && partner[body] == range.upperBound - 1 {
            let inner = body + 1..<partner[body]
            var start = inner.lowerBound
            while start < inner.upperBound {
                let end = firstAtTopLevel(from: start, in: inner) { $0.isSymbol(";") } ?? inner.upperBound
                findings.absorb(classify(start..<end, ctes: []))
                start = end + 1
            }
        } else {
            findings.absorb(classify(body..<range.upperBound, ctes: []))
        }
    }

    /// CREATE FUNCTION / PROCEDURE. A body in SQL is analysed like any statement, and its classes count for the
    /// definition: the `BEGIN ATOMIC ... END` form statement by statement, the `AS 'text'` form as a text of its own.
    /// A body in any other language can build SQL when it runs, so defining one is `define_routine`.
    private mutating func createRoutine(_ range: Range<Int>, into findings: inout SQLFindings) {
        if let name = dottedName(at: range.lowerBound, in: range) {
            notCalls.formUnion(name.indices)
        }
        walkDefinition(range, into: &findings)
        clientEncodingClauses(range, into: &findings)
        let atomic = firstAtTopLevel(from: range.lowerBound, in: range) { $0.isWord("begin") }.flatMap {
            isWord($0 + 1, "atomic", in: range) ? $0 : nil
        }
        let language = firstAtTopLevel(from: range.lowerBound, in: range) { $0.isWord("language") }.flatMap {
            range.contains($0 + 1) && (tokens[$0 + 1].isName || tokens[$0 + 1].isString) ? tokens[$0 + 1].value : nil
        }
        // A MySQL routine's body follows its parameters, return type and characteristics with nothing marking
        // where it starts (`RETURNS SET(...)` reads like a SET statement), may be a compound statement, and runs
        // whenever it is called, long after this text was judged: the broker cannot read it with certainty, so
        // defining one is opaque and refused on a guarded resource.
        if dialect == .mysql {
            findings.classes.insert(.defineRoutine)
            findings.opaque = true
            return
        }
        // Without LANGUAGE, PostgreSQL 15 takes a BEGIN ATOMIC body as SQL and refuses an AS body.
        guard language == "sql" || (language == nil && atomic != nil) else {
            findings.classes.insert(.defineRoutine)
            return
        }
        if let begin = atomic {
            atomicBody(begin + 2..<range.upperBound, into: &findings)
        }
        var cursor = range.lowerBound
        while let body = firstAtTopLevel(from: cursor, in: range, where: { $0.isWord("as") }) {
            cursor = body + 1
            guard range.contains(body + 1), tokens[body + 1].isString else {
                continue
            }
            let analysis = SQLAnalysis.analyze(tokens[body + 1].value, dialect: dialect, mysqlModes: mysqlModes)
            findings.opaque = findings.opaque || analysis.problem != nil
            for statement in analysis.statements {
                findings.absorb(statement.findings)
            }
        }
    }

    /// The statements of a `BEGIN ATOMIC ... END` body, which starts at `range.lowerBound`.
    private mutating func atomicBody(_ range: Range<Int>, into findings: inout SQLFindings) {
        var depth = 1
        var start = range.lowerBound
        var index = start
        while index < range.upperBound && depth > 0 {
            let token = tokens[index]
            if token.isWord("case") {
                depth += 1
            } else if token.isWord("end") {
                depth -= 1
            }
            if (token.isSymbol(";") || depth == 0) && index > start {
                findings.absorb(classify(start..<index, ctes: []))
            }
            if token.isSymbol(";") {
                start = index + 1
            }
            index = token.isSymbol("(") ? partner[index] + 1 : index + 1
        }
    }

    /// `CREATE SCHEMA name [AUTHORIZATION role] [CREATE ... | GRANT ...]...`: each element is a statement.
    private mutating func createSchema(_ range: Range<Int>, into findings: inout SQLFindings) {
        var elements: [Int] = []
        var index = range.lowerBound
        while let next = firstAtTopLevel(from: index, in: range, where: { $0.isWord("create") || $0.isWord("grant") }) {
            elements.append(next)
            index = next + 1
        }
        for (position, start) in elements.enumerated() {
            let end = position + 1 < elements.count ? elements[position + 1] : range.upperBound
            findings.absorb(classify(start..<end, ctes: []))
        }
    }

    /// Functions a definition binds without calling them: `key = name` in CREATE OPERATOR / AGGREGATE, and
    /// `WITH FUNCTION name` / `FROM name` in CREATE CAST / CONVERSION, `HANDLER name`, `VALIDATOR name`.
    private func boundFunctions(_ range: Range<Int>, type: String) -> [SQLObjectName] {
        var names: [SQLObjectName] = []
        for index in range where tokens[index].kind == .word {
            var start: Int?
            let value = tokens[index].value
            if SQLKeywords.functionKeys.contains(value), isSymbol(index + 1, "=", in: range) {
                start = index + 2
            } else if value == "function" && isWord(index - 1, "with", in: range) {
                start = index + 1
            } else if value == "handler" || value == "validator" || value == "inline" {
                start = index + 1
            } else if value == "from" && type == "conversion" {
                start = index + 1
            }
            if let start, let name = dottedName(at: start, in: range, function: true) {
                names.append(name.objectName)
            }
        }
        return names
    }

    /// Walks a definition for nested queries and for the tables it depends on: `REFERENCES t`, `LIKE t`,
    /// `INHERITS (t)`, `PARTITION OF t`.
    mutating func walkDefinition(_ range: Range<Int>, into findings: inout SQLFindings) {
        walkExpression(range, ctes: [], into: &findings)
        for index in range {
            let token = tokens[index]
            guard token.kind == .word else {
                continue
            }
            let previous = index > range.lowerBound ? tokens[index - 1] : nil
            var source: DottedName?
            switch token.value {
            case "references":
                source = dottedName(at: index + 1, in: range)
            case "like" where previous?.isSymbol("(") == true || previous?.isSymbol(",") == true:
                source = dottedName(at: index + 1, in: range)
            case "of" where previous?.isWord("partition") == true:
                source = dottedName(at: index + 1, in: range)
            case "inherits" where isSymbol(index + 1, "(", in: range):
                var cursor = index + 2
                while let parent = dottedName(at: cursor, in: range) {
                    addTable(parent, to: &findings)
                    cursor = parent.next + 1
                }
            default:
                break
            }
            if let source {
                addTable(source, to: &findings)
            }
        }
    }

    mutating func classifyDrop(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "drop", classes: [.drop])
        var index = skipWords(["temporary"], from: range.lowerBound + 1, in: range)
        guard let kind = objectType(at: index, in: range) else {
            walkExpression(index..<range.upperBound, ctes: [], into: &findings)
            return findings
        }
        findings.objectType = kind.type
        index = skipWords(["concurrently", "if", "exists"], from: kind.next, in: range)
        let isRelation = SQLKeywords.relationTypes.contains(kind.type)
        while let name = dottedName(at: index, in: range) {
            notCalls.formUnion(name.indices)
            if isRelation {
                addTable(name, to: &findings)
            }
            index = afterGroup(name.next, in: range)
            guard isSymbol(index, ",", in: range) else {
                break
            }
            index += 1
        }
        if ["trigger", "rule", "policy", "index"].contains(kind.type), isWord(index, "on", in: range),
            let table = dottedName(at: index + 1, in: range)
        {
            addTable(table, to: &findings)
        }
        walkExpression(index..<range.upperBound, ctes: [], into: &findings)
        return findings
    }

    mutating func classifyTruncate(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "truncate", classes: [.truncate])
        var index = skipWords(["table"], from: range.lowerBound + 1, in: range)
        while let name = dottedName(at: skipWords(["only"], from: index, in: range), in: range) {
            addTable(name, to: &findings)
            index = isSymbol(name.next, "*", in: range) ? name.next + 1 : name.next
            guard isSymbol(index, ",", in: range) else {
                break
            }
            index += 1
        }
        return findings
    }

    mutating func classifyAlter(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "alter", classes: [.alter])
        var index = skipWords(["online", "ignore"], from: range.lowerBound + 1, in: range)
        guard let kind = objectType(at: index, in: range) else {
            walkDefinition(index..<range.upperBound, into: &findings)
            return findings
        }
        findings.objectType = kind.type
        index = skipWords(["if", "exists", "only"], from: kind.next, in: range)
        if SQLKeywords.relationTypes.contains(kind.type), !isWord(index, "all", in: range),
            let name = dottedName(at: index, in: range)
        {
            addTable(name, to: &findings)
            index = isSymbol(name.next, "*", in: range) ? name.next + 1 : name.next
        }
        let rest = index..<range.upperBound
        walkDefinition(rest, into: &findings)
        if firstAtTopLevel(from: index, in: range, where: { $0.isWord("rename") }) != nil
            || firstAtTopLevel(from: index, in: range, where: { $0.isWord("set") }).map({
                isWord($0 + 1, "schema", in: range)
            }) == true
        {
            findings.classes.insert(.rename)
        }
        if ["role", "user", "database", "system", "group", "function", "procedure", "routine"].contains(kind.type) {
            clientEncodingClauses(rest, into: &findings)
        }
        if ["role", "user", "database", "system", "group"].contains(kind.type) {
            for position in rest where tokens[position].isWord("set") || tokens[position].isWord("reset") {
                let target = position + 1
                if isSearchPath(target, in: range)
                    || (tokens[position].isWord("reset") && isWord(target, "all", in: range))
                {
                    findings.classes.insert(.setSearchPath)
                }
            }
        }
        if kind.type == "default privileges" {
            if firstAtTopLevel(from: index, in: range, where: { $0.isWord("grant") }) != nil {
                findings.classes.insert(.grant)
            }
            if firstAtTopLevel(from: index, in: range, where: { $0.isWord("revoke") }) != nil {
                findings.classes.insert(.revoke)
            }
        }
        return findings
    }

    /// Whether the token at `index` names the search_path setting (quoted names match too: setting names are
    /// case-insensitive).
    func isSearchPath(_ index: Int, in range: Range<Int>) -> Bool {
        range.contains(index) && tokens[index].isName && tokens[index].value.lowercased() == "search_path"
    }

    /// `GRANT|REVOKE privileges ON [TABLE] a, b TO|FROM ...`: the objects are tables unless another kind is named;
    /// `GRANT role TO role` names no objects.
    mutating func classifyGrant(_ range: Range<Int>) -> SQLFindings {
        let verb = tokens[range.lowerBound].value
        var findings = SQLFindings(verb: verb, classes: [verb == "grant" ? .grant : .revoke])
        walkExpression(range.dropFirst(), ctes: [], into: &findings)
        guard let on = firstAtTopLevel(from: range.lowerBound + 1, in: range, where: { $0.isWord("on") }) else {
            return findings
        }
        var index = on + 1
        let otherKinds: Set<String> = [
            "sequence", "database", "domain", "foreign", "function", "procedure", "routine", "language", "large",
            "schema", "tablespace", "type", "parameter", "server", "all",
        ]
        if isWord(index, "table", in: range) {
            index += 1
        } else if let kind = word(index, in: range), otherKinds.contains(kind) {
            return findings
        }
        while let name = dottedName(at: index, in: range) {
            index = name.next
            if isSymbol(index, ".", in: range) && isSymbol(index + 1, "*", in: range) {
                index += 2
            } else {
                addTable(name, to: &findings)
            }
            guard isSymbol(index, ",", in: range) else {
                break
            }
            index += 1
        }
        return findings
    }

    /// `COMMENT ON kind name IS ...` and `SECURITY LABEL [FOR provider] ON kind name IS ...`.
    mutating func classifyComment(_ range: Range<Int>) -> SQLFindings {
        let verb = tokens[range.lowerBound].value
        guard verb == "comment" || isWord(range.lowerBound + 1, "label", in: range) else {
            return unknown(range)
        }
        var findings = SQLFindings(verb: verb, classes: [verb == "comment" ? .comment : .securityLabel])
        guard let on = firstAtTopLevel(from: range.lowerBound + 1, in: range, where: { $0.isWord("on") }),
            let kind = objectType(at: on + 1, in: range)
        else {
            return findings
        }
        findings.objectType = kind.type
        if var name = dottedName(at: kind.next, in: range) {
            notCalls.formUnion(name.indices)
            if kind.type == "column" && name.parts.count > 1 {
                name.parts.removeLast()
                findings.tables.append(name.objectName)
            } else if SQLKeywords.relationTypes.contains(kind.type) {
                findings.tables.append(name.objectName)
            }
        }
        return findings
    }
}
