// MARK: - MySQL and MariaDB: SET, HANDLER, compound statements, server commands, literals

extension SQLClassifier {
    /// MySQL `SET`: a comma-separated list of assignments to user variables, system variables (`sql_mode`,
    /// `@@session.character_set_client`, ...), `NAMES` and `CHARACTER SET`; or `SET PASSWORD`, `SET [DEFAULT]
    /// ROLE`, `SET TRANSACTION`; or MariaDB's `SET STATEMENT assignments FOR statement`, which runs the statement.
    mutating func classifyMySQLSet(_ range: Range<Int>) -> SQLFindings {
        var findings = SQLFindings(verb: "set", classes: [.set])
        let index = range.lowerBound + 1
        if isWord(index, "statement", in: range) {
            let end = firstAtTopLevel(from: index + 1, in: range) { $0.isWord("for") } ?? range.upperBound
            mysqlAssignments(index + 1..<end, into: &findings)
            if end < range.upperBound {
                findings.absorb(classify(end + 1..<range.upperBound, ctes: []))
            }
            return findings
        }
        if isWord(index, "password", in: range) {
            findings.classes.insert(.alter)
        } else if isWord(index, "role", in: range)
            || (isWord(index, "default", in: range) && isWord(index + 1, "role", in: range))
        {
            findings.classes.insert(.setRole)
        } else if !isWord(index, "transaction", in: range) {
            mysqlAssignments(index..<range.upperBound, into: &findings)
            return findings
        }
        walkExpression(index..<range.upperBound, ctes: [], into: &findings)
        return findings
    }

    /// Each assignment of a MySQL SET list, and the queries in their values.
    private mutating func mysqlAssignments(_ range: Range<Int>, into findings: inout SQLFindings) {
        var start = range.lowerBound
        while start < range.upperBound {
            let end = firstAtTopLevel(from: start, in: range) { $0.isSymbol(",") } ?? range.upperBound
            mysqlAssignment(start..<end, into: &findings)
            start = end + 1
        }
        walkExpression(range, ctes: [], into: &findings)
    }

    /// One assignment; the ones that change how the server lexes are flagged with the value they set.
    private func mysqlAssignment(_ item: Range<Int>, into findings: inout SQLFindings) {
        let index = skipWords(
            ["global", "session", "local", "persist", "persist_only"], from: item.lowerBound, in: item)
        if isWord(index, "names", in: item) || isWord(index, "charset", in: item)
            || (isWord(index, "character", in: item) && isWord(index + 1, "set", in: item))
        {
            let value = isWord(index, "character", in: item) ? index + 2 : index + 1
            let end = firstAtTopLevel(from: value, in: item) { $0.isWord("collate") } ?? item.upperBound
            findings.classes.insert(.setClientEncoding)
            findings.clientEncodings.append(settingLiteral(value..<end))
            return
        }
        guard let variable = systemVariable(at: index, in: item) else {
            return
        }
        let value = variable.next..<item.upperBound
        switch variable.name {
        case "sql_mode":
            findings.classes.insert(.setSessionMode)
            findings.sqlModes.append(settingLiteral(value))
        case "character_set_client":
            findings.classes.insert(.setClientEncoding)
            findings.clientEncodings.append(settingLiteral(value))
        case _ where variable.name.hasPrefix("session_track"):
            // The broker follows the session's modes through session tracking; turning it off would blind it.
            findings.classes.insert(.setSessionMode)
            findings.sqlModes.append(nil)
        default:
            break
        }
    }

    /// The system variable assigned at `index` (`name =`, `@@name :=`, `@@session.name =`, `@@`\`name\``), its
    /// name lowercased without scope, and the index of its value; nil for a user variable or anything else.
    private func systemVariable(at index: Int, in range: Range<Int>) -> (name: String, next: Int)? {
        guard range.contains(index) else {
            return nil
        }
        let token = tokens[index]
        var name: String
        var next = index + 1
        switch token.kind {
        case .word, .quotedIdentifier:
            name = token.value
        case .parameter where token.value.hasPrefix("@@"):
            name = String(token.value.dropFirst(2))
        case .symbol where token.value == "@@" && range.contains(index + 1) && tokens[index + 1].isName:
            name = tokens[index + 1].value
            next += 1
        default:
            return nil
        }
        name = name.lowercased()
        for scope in ["global.", "session.", "local.", "persist.", "persist_only."] where name.hasPrefix(scope) {
            name.removeFirst(scope.count)
        }
        guard isSymbol(next, "=", in: range) || isSymbol(next, ":=", in: range) else {
            return nil
        }
        return (name, next + 1)
    }

    /// A setting's value when it is one literal the analyser can read: a string (see `mysqlLiteral`) or a bare
    /// name other than DEFAULT (which takes the global value, unknown here). Nil for anything else: a variable, a
    /// number (sql_mode takes bit masks), an expression.
    func settingLiteral(_ range: Range<Int>) -> String? {
        if let text = mysqlLiteral(range) {
            return text
        }
        guard range.count == 1, tokens[range.lowerBound].isName, !tokens[range.lowerBound].isWord("default") else {
            return nil
        }
        return tokens[range.lowerBound].value
    }

    /// The value of a MySQL string literal filling `range`: one `'...'`, `"..."` or `N'...'`, optionally after a
    /// character set introducer (`_utf8mb4'...'`). Nil for anything else, adjacent literals included (the server
    /// joins them, `'DROP' ' TABLE t'`) and hex or bit literals.
    func mysqlLiteral(_ range: Range<Int>) -> String? {
        var index = range.lowerBound
        if range.contains(index), tokens[index].kind == .word, tokens[index].value.hasPrefix("_") {
            index += 1
        }
        guard index + 1 == range.upperBound else {
            return nil
        }
        switch tokens[index].kind {
        case .string(.standard), .string(.national): return tokens[index].value
        default: return nil
        }
    }

    /// Verbs whose meaning on MySQL differs from PostgreSQL or that only MySQL has.
    ///
    /// - `HANDLER t OPEN|READ` reads a table row by row, past any SELECT rule unless judged as one.
    /// - `BEGIN [WORK]` starts a transaction; any other BEGIN is a MariaDB compound statement
    ///   (`BEGIN NOT ATOMIC ... END`), whose body the splitter cuts apart: opaque.
    /// - `DO expr` evaluates expressions (their calls and subqueries count); it runs no code block.
    /// - `INSTALL`/`UNINSTALL PLUGIN|SONAME` load server code, as PostgreSQL `LOAD` does.
    mutating func classifyMySQLCommand(_ range: Range<Int>) -> SQLFindings {
        let verb = tokens[range.lowerBound].value
        var findings = SQLFindings(verb: verb)
        switch verb {
        case "handler":
            let closes = isWord(range.lowerBound + 2, "close", in: range)
            findings.classes.insert(closes ? .close : .select)
            if let table = dottedName(at: range.lowerBound + 1, in: range) {
                addTable(table, to: &findings)
            }
        case "begin":
            let rest = skipWords(["work"], from: range.lowerBound + 1, in: range)
            guard rest == range.upperBound else {
                return unknown(range)
            }
            findings.classes.insert(.transaction)
        case "do":
            findings.classes.insert(.do)
        case "install", "uninstall":
            findings.classes.formUnion([.load, .defineRoutine])
        case "kill":
            findings.classes.insert(.kill)
        default:
            findings.classes.insert(.shutdown)
        }
        walkExpression(range.dropFirst(), ctes: [], into: &findings)
        return findings
    }

    /// The index after a MySQL `DEFINER = user[@host]` clause at `index` (`CURRENT_USER[()]` too), or `index`.
    func afterDefiner(_ index: Int, in range: Range<Int>) -> Int {
        guard isWord(index, "definer", in: range), isSymbol(index + 1, "=", in: range) else {
            return index
        }
        var cursor = afterGroup(index + 3, in: range)
        if range.contains(cursor), tokens[cursor].kind == .parameter, tokens[cursor].value.hasPrefix("@") {
            cursor += 1
        } else if isSymbol(cursor, "@", in: range) {
            cursor += 2
        }
        return min(cursor, range.upperBound)
    }
}
