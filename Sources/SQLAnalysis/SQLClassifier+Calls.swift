// MARK: - Function calls

extension SQLClassifier {
    /// The calls in a statement, and the session settings they may change.
    struct Calls {
        var names: [SQLObjectName] = []
        /// `set_search_path`, `set_client_encoding` and `set_role` for set_config() calls that may change them.
        var settingClasses: Set<SQLStatementClass> = []
        var clientEncodings: [String?] = []
    }

    /// Every `name(` or `schema.name(` in `range` that is a call: not a keyword construct, not a name the walk
    /// identified as a table, alias or definition, not a type after `::`.
    func functionCalls(in range: Range<Int>) -> Calls {
        var calls = Calls()
        for open in range where tokens[open].isSymbol("(") && open > range.lowerBound {
            guard let callee = callee(before: open, in: range) else {
                continue
            }
            calls.names.append(callee.objectName)
            if callee.parts.last?.lowercased() == "set_config" {
                setConfig(open + 1..<partner[open], into: &calls)
            }
        }
        return calls
    }

    private func callee(before open: Int, in range: Range<Int>) -> DottedName? {
        var first = open - 1
        guard tokens[first].isName else {
            return nil
        }
        while first - 2 >= range.lowerBound, tokens[first - 1].isSymbol("."), tokens[first - 2].isName {
            first -= 2
        }
        guard let name = dottedName(at: first, in: range, function: true), name.next == open,
            !name.indices.contains(where: notCalls.contains)
        else {
            return nil
        }
        let last = tokens[open - 1]
        if name.parts.count == 1, last.kind == .word, SQLKeywords.notFunctionNames.contains(last.value) {
            return nil
        }
        guard first > range.lowerBound else {
            return name
        }
        let previous = tokens[first - 1]
        if previous.isSymbol("::") {
            return nil
        }
        guard previous.kind == .word else {
            return name
        }
        if SQLKeywords.definingWords.contains(previous.value) {
            let runsLater =
                (previous.value == "function" || previous.value == "procedure") && first - 2 >= range.lowerBound
                && tokens[first - 2].isWord("execute")
            return runsLater ? name : nil
        }
        if previous.value == "using", name.parts.count == 1, SQLKeywords.indexMethods.contains(last.value) {
            return nil
        }
        return name
    }

    /// What `set_config(name, value, is_local)` may change: the setting it names, or every watched setting when
    /// the name is not a plain literal.
    private func setConfig(_ arguments: Range<Int>, into calls: inout Calls) {
        let comma =
            firstAtTopLevel(from: arguments.lowerBound, in: arguments) { $0.isSymbol(",") } ?? arguments.upperBound
        let name = literal(arguments.lowerBound..<comma)?.lowercased()
        if name == nil || name == "search_path" {
            calls.settingClasses.insert(.setSearchPath)
        }
        if name == nil || name == "role" || name == "session_authorization" {
            calls.settingClasses.insert(.setRole)
        }
        if name == nil || name == "client_encoding" {
            calls.settingClasses.insert(.setClientEncoding)
            let valueStart = comma + 1
            let valueEnd =
                firstAtTopLevel(from: valueStart, in: valueStart..<arguments.upperBound) { $0.isSymbol(",") }
                ?? arguments.upperBound
            calls.clientEncodings.append(valueStart < valueEnd ? literal(valueStart..<valueEnd) : nil)
        }
    }

    /// The value of a string literal that fills `range`, optionally cast (`'x'::text`); nil for anything else.
    private func literal(_ range: Range<Int>) -> String? {
        guard let start = range.first, tokens[start].isString else {
            return nil
        }
        var index = start + 1
        while index + 1 < range.upperBound, tokens[index].isSymbol("::"), tokens[index + 1].isName {
            index += 2
        }
        return index == range.upperBound ? tokens[start].value : nil
    }
}
