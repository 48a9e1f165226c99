// MARK: - Utility statements: COPY, EXPLAIN, PREPARE/EXECUTE/DEALLOCATE, SET/RESET/DISCARD, maintenance, cursors

extension SQLClassifier {
    /// `COPY name [(columns)] {FROM|TO} {'file'|PROGRAM 'command'|STDIN|STDOUT}` or `COPY (query) TO ...`.
    mutating func classifyCopy(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "copy", classes: [.copy])
        var index = skipWords(["binary"], from: range.lowerBound + 1, in: range)
        if isSymbol(index, "(", in: range) {
            absorbGroup(index + 1..<partner[index], ctes: [], into: &findings)
            index = partner[index] + 1
        } else if let name = dottedName(at: index, in: range) {
            addTable(name, to: &findings)
            index = name.next
        }
        if let direction = firstAtTopLevel(from: index, in: range, where: { $0.isWord("from") || $0.isWord("to") }) {
            let target = direction + 1
            if isWord(target, "program", in: range) {
                findings.classes.insert(.copyProgram)
            } else if range.contains(target) && tokens[target].isString {
                findings.classes.insert(.copyFile)
            }
        }
        walkExpression(index..<range.upperBound, ctes: [], into: &findings)
        return findings
    }

    /// `EXPLAIN [ANALYZE] [VERBOSE] [(options)] statement`: the explained statement's classes count, with or
    /// without ANALYZE. MySQL `EXPLAIN|DESCRIBE table` describes a table.
    mutating func classifyExplain(_ range: Range<Int>) -> SQLFindings {
        let verb = tokens[range.lowerBound].value
        var findings = SQLFindings(verb: verb, classes: [.explain])
        let explainable: Set<String> = [
            "select", "insert", "update", "delete", "merge", "values", "execute", "declare", "create", "with",
            "table", "replace",
        ]
        var index = range.lowerBound + 1
        while index < range.upperBound {
            let token = tokens[index]
            if token.isSymbol("(") {
                if startsQuery(index + 1..<partner[index]) {
                    break
                }
                index = partner[index] + 1
            } else if token.kind == .word && explainable.contains(token.value) {
                break
            } else {
                index += 1
            }
        }
        if index < range.upperBound {
            findings.absorb(classify(index..<range.upperBound, ctes: []))
        } else if dialect == .mysql, let table = dottedName(at: range.lowerBound + 1, in: range) {
            findings.classes.insert(.show)
            addTable(table, to: &findings)
        }
        return findings
    }

    /// `PREPARE name [(types)] AS statement` (PostgreSQL), `PREPARE name FROM 'text' | @variable` (MySQL), and
    /// `PREPARE TRANSACTION 'id'` (two-phase commit).
    mutating func classifyPrepare(_ range: Range<Int>) -> SQLFindings {
        if isWord(range.lowerBound + 1, "transaction", in: range) {
            return SQLFindings(verb: "prepare", classes: [.transaction])
        }
        var findings = SQLFindings(verb: "prepare", classes: [.prepare])
        let nameIndex = range.lowerBound + 1
        guard range.contains(nameIndex), tokens[nameIndex].isName else {
            return findings
        }
        notCalls.insert(nameIndex)
        let name = tokens[nameIndex].value
        let index = afterGroup(nameIndex + 1, in: range)
        if isWord(index, "as", in: range) {
            let inner = index + 1..<range.upperBound
            guard !inner.isEmpty else {
                return findings
            }
            let nested = classify(inner, ctes: [])
            findings.absorb(nested)
            findings.prepared = SQLPreparedStatement(name: name, statement: makeStatement(inner, nested))
        } else if isWord(index, "from", in: range) {
            if let statement = preparedText(index + 1..<range.upperBound, into: &findings) {
                findings.prepared = SQLPreparedStatement(name: name, statement: statement)
            }
        }
        return findings
    }

    /// The statement in MySQL prepared text (`PREPARE s FROM text`, `EXECUTE IMMEDIATE text`), whose findings are
    /// taken in. Text from a variable or an expression cannot be judged, and neither can text that is not exactly
    /// one statement: both are opaque.
    mutating func preparedText(_ range: Range<Int>, into findings: inout SQLFindings) -> SQLStatement? {
        guard let text = mysqlLiteral(range) else {
            findings.opaque = true
            return nil
        }
        let analysis = SQLAnalysis.analyze(text, dialect: dialect, mysqlModes: mysqlModes)
        for statement in analysis.statements {
            findings.absorb(statement.findings)
        }
        guard analysis.problem == nil, analysis.statements.count == 1 else {
            findings.opaque = true
            return nil
        }
        return analysis.statements[0]
    }

    /// `EXECUTE name [(arguments)]` runs a prepared statement the broker must look up by name.
    mutating func classifyExecute(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "execute", classes: [.execute])
        let nameIndex = range.lowerBound + 1
        if dialect == .mysql, isWord(nameIndex, "immediate", in: range) {
            // MariaDB `EXECUTE IMMEDIATE text [USING ...]` runs the text at once.
            let end = firstAtTopLevel(from: nameIndex + 1, in: range) { $0.isWord("using") } ?? range.upperBound
            _ = preparedText(nameIndex + 1..<end, into: &findings)
            walkExpression(end..<range.upperBound, ctes: [], into: &findings)
            return findings
        }
        if range.contains(nameIndex), tokens[nameIndex].isName {
            notCalls.insert(nameIndex)
            findings.executedName = tokens[nameIndex].value
        }
        walkExpression(range.dropFirst(), ctes: [], into: &findings)
        return findings
    }

    /// `DEALLOCATE [PREPARE] name | ALL`.
    mutating func classifyDeallocate(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "deallocate", classes: [.deallocate])
        let index = skipWords(["prepare"], from: range.lowerBound + 1, in: range)
        if isWord(index, "all", in: range) {
            findings.deallocation = .all
        } else if range.contains(index), tokens[index].isName {
            findings.deallocation = .named(tokens[index].value)
        }
        return findings
    }

    /// SET, RESET and DISCARD, flagging every form that changes search_path (`SET SCHEMA` is an alias for it;
    /// `RESET ALL` and `DISCARD ALL` restore it), the client encoding (`SET NAMES` is an alias for it) or the role.
    mutating func classifySetting(_ range: Range<Int>) -> SQLFindings {
        let verb = tokens[range.lowerBound].value
        let classes: [String: SQLStatementClass] = ["set": .set, "reset": .reset, "discard": .discard]
        var findings = SQLFindings(verb: verb, classes: [classes[verb]!])
        let index = skipWords(
            ["session", "local", "global", "persist", "persist_only"], from: range.lowerBound + 1, in: range)
        let all = isWord(index, "all", in: range)
        if isSearchPath(index, in: range) || (verb == "set" ? isWord(index, "schema", in: range) : all) {
            findings.classes.insert(.setSearchPath)
        }
        if isWord(index, "role", in: range) || isWord(index, "authorization", in: range) || (verb != "set" && all) {
            findings.classes.insert(.setRole)
        }
        if verb == "set" && isSetting(index, "client_encoding", in: range) {
            findings.classes.insert(.setClientEncoding)
            findings.clientEncodings.append(settingValue(after: index, in: range))
        } else if verb == "set" && isWord(index, "names", in: range) && dialect == .postgres {
            findings.classes.insert(.setClientEncoding)
            findings.clientEncodings.append(range.upperBound == index + 2 ? value(at: index + 1) : nil)
        }
        walkExpression(range.dropFirst(), ctes: [], into: &findings)
        return findings
    }

    /// Whether the token at `index` names the setting `name` (quoted names match too: setting names are
    /// case-insensitive).
    func isSetting(_ index: Int, _ name: String, in range: Range<Int>) -> Bool {
        range.contains(index) && tokens[index].isName && tokens[index].value.lowercased() == name
    }

    /// The value of `name {TO|=} value` for the setting name at `index`, when it is one plain token; nil otherwise
    /// (a list, `FROM CURRENT`, an expression).
    func settingValue(after index: Int, in range: Range<Int>) -> String? {
        guard isWord(index + 1, "to", in: range) || isSymbol(index + 1, "=", in: range), range.contains(index + 2),
            !isSymbol(index + 3, ",", in: range)
        else {
            return nil
        }
        return value(at: index + 2)
    }

    /// A token that spells a setting's value by itself: a string, a name or a number.
    private func value(at index: Int) -> String? {
        guard index < tokens.count else {
            return nil
        }
        switch tokens[index].kind {
        case .string, .word, .quotedIdentifier, .number: return tokens[index].value
        default: return nil
        }
    }

    /// Every `SET client_encoding ...` clause in a definition (ALTER ROLE/DATABASE/SYSTEM, a routine's SET clause).
    mutating func clientEncodingClauses(_ range: Range<Int>, into findings: inout SQLFindings) {
        for position in range
        where tokens[position].isWord("set") && isSetting(position + 1, "client_encoding", in: range) {
            findings.classes.insert(.setClientEncoding)
            findings.clientEncodings.append(settingValue(after: position + 1, in: range))
        }
    }

    /// LOCK, VACUUM, ANALYZE, CLUSTER, REINDEX and REFRESH, with the tables they name.
    mutating func classifyMaintenance(_ range: Range<Int>) -> SQLFindings {
        let verb = tokens[range.lowerBound].value
        let classes: [String: SQLStatementClass] = [
            "lock": .lock, "unlock": .lock, "vacuum": .vacuum, "analyze": .analyze, "analyse": .analyze,
            "cluster": .cluster, "reindex": .reindex, "refresh": .refresh,
        ]
        var findings = SQLFindings(verb: verb, classes: [classes[verb]!])
        var index = range.lowerBound + 1
        switch verb {
        case "reindex":
            index = afterGroup(index, in: range)
            guard isWord(index, "table", in: range) else {
                return findings
            }
            index = skipWords(["table", "concurrently"], from: index, in: range)
        case "refresh":
            index = skipWords(["materialized", "view", "concurrently"], from: index, in: range)
        case "unlock":
            return findings
        default:
            break
        }
        let options: Set<String> = [
            "table", "tables", "only", "full", "freeze", "verbose", "analyze", "analyse", "skip_locked",
        ]
        var expectName = true
        while index < range.upperBound {
            let token = tokens[index]
            if token.isSymbol("(") {
                absorbGroup(index + 1..<partner[index], ctes: [], into: &findings)
                index = partner[index] + 1
            } else if token.isSymbol(",") {
                expectName = true
                index += 1
            } else if expectName, token.kind == .word, options.contains(token.value) {
                index += 1
            } else if expectName, let name = dottedName(at: index, in: range) {
                addTable(name, to: &findings)
                expectName = false
                index = name.next
            } else {
                index += 1
            }
        }
        return findings
    }

    /// `DECLARE name ... CURSOR ... FOR query`: the cursor's query contributes its classes.
    mutating func classifyDeclare(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "declare", classes: [.declare])
        if let cursor = firstAtTopLevel(from: range.lowerBound + 1, in: range, where: { $0.isWord("cursor") }),
            let query = firstAtTopLevel(from: cursor + 1, in: range, where: { $0.isWord("for") })
        {
            findings.absorb(classify(query + 1..<range.upperBound, ctes: []))
        }
        return findings
    }

    /// PostgreSQL `LOAD 'library'` loads server code; MySQL `LOAD DATA|XML ... INTO TABLE t` inserts rows, and
    /// without LOCAL reads a file on the database host (`copy_file`).
    mutating func classifyLoad(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "load", classes: [.load])
        if dialect == .mysql,
            let infile = firstAtTopLevel(
                from: range.lowerBound + 1, in: range,
                where: {
                    $0.isWord("infile")
                }), !(range.lowerBound..<infile).contains(where: { tokens[$0].isWord("local") })
        {
            // Without LOCAL the server reads the file from its own disk.
            findings.classes.insert(.copyFile)
        }
        if let into = firstAtTopLevel(from: range.lowerBound + 1, in: range, where: { $0.isWord("into") }),
            isWord(into + 1, "table", in: range), let table = dottedName(at: into + 2, in: range)
        {
            findings.classes.insert(.insert)
            addTable(table, to: &findings)
        }
        return findings
    }

    /// MySQL `RENAME TABLE a TO b, c TO d`.
    mutating func classifyRename(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "rename", classes: [.alter, .rename])
        var index = skipWords(["table", "user"], from: range.lowerBound + 1, in: range)
        while let name = dottedName(at: index, in: range) {
            if isWord(range.lowerBound + 1, "table", in: range) {
                addTable(name, to: &findings)
            }
            index = name.next
            guard isWord(index, "to", in: range) || isSymbol(index, ",", in: range) else {
                break
            }
            index += 1
        }
        return findings
    }
}
