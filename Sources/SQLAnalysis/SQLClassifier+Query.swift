// MARK: - Queries and data modification: SELECT, VALUES, TABLE, INSERT, UPDATE, DELETE, MERGE, WITH

extension SQLClassifier {
    /// Whether `range` holds a statement that may appear in parentheses (a subquery or data-modifying CTE body).
    func startsQuery(_ range: Range<Int>) -> Bool {
        guard let first = range.first else {
            return false
        }
        if tokens[first].isSymbol("(") {
            return startsQuery(first + 1..<partner[first])
        }
        return tokens[first].kind == .word && SQLKeywords.queryStarters.contains(tokens[first].value)
    }

    /// Analyses the inside of a parenthesised group and returns the verb of its first statement, if it holds one.
    ///
    /// A semicolon at the group's top level separates statements (CREATE RULE actions); every part after one is
    /// classified as a statement whatever it starts with.
    @discardableResult
    mutating func absorbGroup(_ inner: Range<Int>, ctes: Set<String>, into findings: inout SQLFindings) -> String? {
        var parts: [Range<Int>] = []
        var start = inner.lowerBound
        while let separator = firstAtTopLevel(from: start, in: inner, where: { $0.isSymbol(";") }) {
            parts.append(start..<separator)
            start = separator + 1
        }
        parts.append(start..<inner.upperBound)
        var verb: String?
        for (position, part) in parts.enumerated() where !part.isEmpty {
            if position > 0 || startsQuery(part) {
                let nested = classify(part, ctes: ctes)
                verb = verb ?? nested.verb
                findings.absorb(nested)
            } else {
                walkExpression(part, ctes: ctes, into: &findings)
            }
        }
        return verb
    }

    /// Searches an expression for parenthesised queries.
    mutating func walkExpression(_ range: Range<Int>, ctes: Set<String>, into findings: inout SQLFindings) {
        var index = range.lowerBound
        while index < range.upperBound {
            if tokens[index].isSymbol("(") {
                absorbGroup(index + 1..<partner[index], ctes: ctes, into: &findings)
                index = partner[index] + 1
            } else {
                index += 1
            }
        }
    }

    /// A query or data-modifying statement at one level: its own clauses are read here, nested levels recursively.
    mutating func walkQuery(_ range: Range<Int>, ctes: Set<String>) -> SQLFindings {
        var findings = SQLFindings()
        var index = range.lowerBound
        let verb = word(index, in: range) ?? ""
        var fromList = false
        var targetRead = false
        if !verb.isEmpty {
            findings.verb = verb
            index += 1
        }
        switch verb {
        case "select":
            findings.classes.insert(.select)
        case "values":
            findings.classes.insert(.values)
        case "table":
            findings.classes.formUnion([.table, .select])
            index = readTableShorthand(index, in: range, ctes: ctes, into: &findings)
        case "insert", "replace":
            findings.classes.insert(.insert)
            if verb == "replace" {
                findings.classes.insert(.delete)
            }
            index = readInsertTarget(index, in: range, into: &findings)
            targetRead = true
        case "update":
            findings.classes.insert(.update)
            index = readFromItem(
                skipWords(["low_priority", "ignore"], from: index, in: range), in: range, ctes: ctes, into: &findings)
            fromList = true
        case "delete":
            findings.classes.insert(.delete)
            index = skipWords(["low_priority", "quick", "ignore"], from: index, in: range)
            if !isWord(index, "from", in: range) {
                index = readFromItem(index, in: range, ctes: ctes, into: &findings)
                fromList = true
            }
        case "merge":
            findings.classes.insert(.merge)
        default:
            break
        }
        var whereClause: Range<Int>?
        var whereStart: Int?
        while index < range.upperBound {
            let token = tokens[index]
            if token.isSymbol("(") {
                let nestedVerb = absorbGroup(index + 1..<partner[index], ctes: ctes, into: &findings)
                if index == range.lowerBound, let nestedVerb {
                    findings.verb = nestedVerb
                }
                index = partner[index] + 1
                continue
            }
            if token.isSymbol(","), fromList {
                index = readFromItem(index + 1, in: range, ctes: ctes, into: &findings)
                continue
            }
            guard token.kind == .word else {
                index += 1
                continue
            }
            let previous = index > range.lowerBound ? tokens[index - 1] : nil
            switch token.value {
            case "from" where !(previous?.isWord("distinct") ?? false):
                fromList = true
                index = readFromItem(index + 1, in: range, ctes: ctes, into: &findings)
                continue
            case "join", "straight_join":
                fromList = true
                index = readFromItem(index + 1, in: range, ctes: ctes, into: &findings)
                continue
            case "using" where verb == "delete" || verb == "merge":
                let next = index + 1
                if !isSymbol(next, "(", in: range) || startsQuery(next + 1..<partner[next]) {
                    fromList = true
                    index = readFromItem(next, in: range, ctes: ctes, into: &findings)
                    continue
                }
            case "into" where verb == "merge" && !targetRead:
                targetRead = true
                index = readFromItem(index + 1, in: range, ctes: ctes, into: &findings)
                continue
            case "into" where ["select", "table", "values"].contains(findings.verb):
                fromList = false
                index = readSelectInto(index + 1, in: range, into: &findings)
                continue
            case "where":
                fromList = false
                whereStart = index + 1
            case "select" where verb != "select":
                findings.classes.insert(.select)
                fromList = false
            case "update" where verb == "merge" || previous?.isWord("do") == true || previous?.isWord("key") == true:
                findings.classes.insert(.update)
            case "delete" where verb == "merge":
                findings.classes.insert(.delete)
            case "insert" where verb == "merge":
                findings.classes.insert(.insert)
            case "table" where ["union", "intersect", "except", "all", "distinct"].contains(previous?.value ?? ""):
                index = readTableShorthand(index + 1, in: range, ctes: ctes, into: &findings)
                continue
            default:
                if SQLKeywords.clauseWords.contains(token.value) {
                    fromList = false
                    if let start = whereStart, whereClause == nil {
                        whereClause = start..<index
                    }
                }
            }
            index += 1
        }
        if let start = whereStart, whereClause == nil {
            whereClause = start..<range.upperBound
        }
        if verb == "delete" || verb == "update" {
            if whereClause.map({ isTriviallyTrue($0) }) ?? true {
                findings.classes.insert(verb == "delete" ? .deleteWithoutWhere : .updateWithoutWhere)
            }
        }
        return findings
    }

    /// One item of a FROM list (or an UPDATE/DELETE/MERGE target): a table, a table function, a subquery or a
    /// parenthesised join, with its alias. Returns the index after it.
    mutating func readFromItem(
        _ start: Int, in range: Range<Int>, ctes: Set<String>, into findings: inout SQLFindings
    ) -> Int {
        var index = skipWords(["lateral", "only"], from: start, in: range)
        guard range.contains(index) else {
            return index
        }
        if tokens[index].isSymbol("(") {
            let inner = index + 1..<partner[index]
            if startsQuery(inner) {
                absorbGroup(inner, ctes: ctes, into: &findings)
            } else {
                readFromGroup(inner, ctes: ctes, into: &findings)
            }
            index = partner[index] + 1
        } else if isWord(index, "rows", in: range) && isWord(index + 1, "from", in: range) {
            return index + 2
        } else if let name = dottedName(at: index, in: range),
            !(tokens[index].kind == .word && SQLKeywords.notAliasWords.contains(tokens[index].value))
        {
            if isSymbol(name.next, "(", in: range) {
                absorbGroup(name.next + 1..<partner[name.next], ctes: ctes, into: &findings)
                index = partner[name.next] + 1
            } else {
                addTable(name, ctes: ctes, to: &findings)
                index = isSymbol(name.next, "*", in: range) ? name.next + 1 : name.next
            }
        } else {
            return index
        }
        if isWord(index, "with", in: range) && isWord(index + 1, "ordinality", in: range) {
            index += 2
        }
        if isWord(index, "as", in: range) {
            index += 1
            if range.contains(index) && tokens[index].isName {
                notCalls.insert(index)
                index += 1
            }
        } else if range.contains(index), tokens[index].isName,
            !(tokens[index].kind == .word && SQLKeywords.notAliasWords.contains(tokens[index].value))
        {
            notCalls.insert(index)
            index += 1
        }
        return index
    }

    /// A parenthesised join: `(a JOIN b ON ...)`.
    private mutating func readFromGroup(_ inner: Range<Int>, ctes: Set<String>, into findings: inout SQLFindings) {
        var index = readFromItem(inner.lowerBound, in: inner, ctes: ctes, into: &findings)
        while index < inner.upperBound {
            let token = tokens[index]
            if token.isSymbol("(") {
                absorbGroup(index + 1..<partner[index], ctes: ctes, into: &findings)
                index = partner[index] + 1
            } else if token.isSymbol(",") || token.isWord("join") || token.isWord("straight_join") {
                index = readFromItem(index + 1, in: inner, ctes: ctes, into: &findings)
            } else {
                index += 1
            }
        }
    }

    /// `TABLE [ONLY] name [*]`.
    private mutating func readTableShorthand(
        _ start: Int, in range: Range<Int>, ctes: Set<String>, into findings: inout SQLFindings
    ) -> Int {
        let index = skipWords(["only"], from: start, in: range)
        guard let name = dottedName(at: index, in: range) else {
            return index
        }
        addTable(name, ctes: ctes, to: &findings)
        return isSymbol(name.next, "*", in: range) ? name.next + 1 : name.next
    }

    /// `INSERT [INTO] name [AS alias]` (MySQL modifiers allowed); the column list is walked by the caller.
    private mutating func readInsertTarget(_ start: Int, in range: Range<Int>, into findings: inout SQLFindings) -> Int
    {
        var index = skipWords(["low_priority", "delayed", "high_priority", "ignore", "into"], from: start, in: range)
        guard let name = dottedName(at: index, in: range) else {
            return index
        }
        addTable(name, to: &findings)
        index = name.next
        if isWord(index, "as", in: range), range.contains(index + 1), tokens[index + 1].isName {
            notCalls.insert(index + 1)
            index += 2
        }
        return index
    }

    /// `SELECT ... INTO [TEMPORARY|UNLOGGED] [TABLE] name` creates a table; MySQL `INTO OUTFILE|DUMPFILE` writes a
    /// file and `INTO @variable` only assigns.
    private mutating func readSelectInto(_ start: Int, in range: Range<Int>, into findings: inout SQLFindings) -> Int {
        if isWord(start, "outfile", in: range) || isWord(start, "dumpfile", in: range) {
            findings.classes.insert(.selectInto)
            return start + 1
        }
        let index = skipWords(["temporary", "temp", "unlogged", "table"], from: start, in: range)
        guard let name = dottedName(at: index, in: range) else {
            return index
        }
        findings.classes.formUnion([.selectInto, .create])
        addTable(name, to: &findings)
        return name.next
    }

    /// `WITH [RECURSIVE] name [(columns)] AS [[NOT] MATERIALIZED] (statement) [SEARCH ...] [CYCLE ...], ... main`.
    mutating func classifyWith(_ range: Range<Int>, ctes: Set<String>) -> SQLFindings {
        var findings = SQLFindings(verb: "with")
        var visible = ctes
        var index = range.lowerBound + 1
        let recursive = isWord(index, "recursive", in: range)
        if recursive {
            index += 1
        }
        while let name = dottedName(at: index, in: range) {
            let cteName = name.parts[0]
            notCalls.insert(index)
            index = afterGroup(name.next, in: range)
            index = skipWords(["as", "not", "materialized"], from: index, in: range)
            if isSymbol(index, "(", in: range) {
                let body = index + 1..<partner[index]
                absorbGroup(body, ctes: recursive ? visible.union([cteName]) : visible, into: &findings)
                index = partner[index] + 1
            }
            visible.insert(cteName)
            while range.contains(index), !tokens[index].isSymbol(","), !startsMainStatement(index) {
                if tokens[index].isSymbol("(") {
                    absorbGroup(index + 1..<partner[index], ctes: visible, into: &findings)
                    index = partner[index] + 1
                } else {
                    index += 1
                }
            }
            guard isSymbol(index, ",", in: range) else {
                break
            }
            index += 1
        }
        let main = classify(index..<range.upperBound, ctes: visible)
        findings.absorb(main)
        if !main.verb.isEmpty {
            findings.verb = main.verb
        }
        return findings
    }

    private func startsMainStatement(_ index: Int) -> Bool {
        let token = tokens[index]
        return token.isSymbol("(") || (token.kind == .word && SQLKeywords.queryStarters.contains(token.value))
    }

    // MARK: - Trivially true WHERE

    /// A WHERE that certainly keeps every row (up to NULLs) counts as no WHERE; see `SQLStatement`.
    func isTriviallyTrue(_ clause: Range<Int>) -> Bool {
        let clause = unwrapped(clause)
        guard !clause.isEmpty else {
            return false
        }
        return split(clause, atWord: "or").contains { branch in
            split(branch, atWord: "and").allSatisfy(isTrivialCondition)
        }
    }

    private func isTrivialCondition(_ condition: Range<Int>) -> Bool {
        let condition = unwrapped(condition)
        guard !condition.isEmpty else {
            return false
        }
        if split(condition, atWord: "or").count > 1 || split(condition, atWord: "and").count > 1 {
            return isTriviallyTrue(condition)
        }
        let referencesColumns = condition.contains { index in
            let token = tokens[index]
            return token.kind == .quotedIdentifier
                || (token.kind == .word && !SQLKeywords.constantWords.contains(token.value))
        }
        if !referencesColumns {
            return true
        }
        guard let equals = firstAtTopLevel(from: condition.lowerBound, in: condition, where: { $0.isSymbol("=") })
        else {
            return false
        }
        let left = condition.lowerBound..<equals
        let right = equals + 1..<condition.upperBound
        return !left.isEmpty && left.count == right.count
            && zip(left, right).allSatisfy {
                tokens[$0].kind == tokens[$1].kind && tokens[$0].value == tokens[$1].value
            }
    }

    /// The range without parentheses that wrap all of it.
    private func unwrapped(_ range: Range<Int>) -> Range<Int> {
        var range = range
        while let first = range.first, tokens[first].isSymbol("("), partner[first] == range.upperBound - 1 {
            range = first + 1..<range.upperBound - 1
        }
        return range
    }

    /// The parts of `range` between top-level occurrences of `word`.
    private func split(_ range: Range<Int>, atWord word: String) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var start = range.lowerBound
        while let separator = firstAtTopLevel(from: start, in: range, where: { $0.isWord(word) }) {
            parts.append(start..<separator)
            start = separator + 1
        }
        parts.append(start..<range.upperBound)
        return parts
    }
}
