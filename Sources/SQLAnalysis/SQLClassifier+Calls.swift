// MARK: - Function calls

extension SQLClassifier {
    /// The calls in a statement, and whether one of them may change search_path.
    struct Calls {
        var names: [SQLObjectName] = []
        var changeSearchPath = false
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
            if callee.parts.last?.lowercased() == "set_config" && mayNameSearchPath(open + 1..<partner[open]) {
                calls.changeSearchPath = true
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

    /// Whether the first argument of set_config may be 'search_path': it is, or it is not a plain literal.
    private func mayNameSearchPath(_ arguments: Range<Int>) -> Bool {
        let end =
            firstAtTopLevel(from: arguments.lowerBound, in: arguments) { $0.isSymbol(",") } ?? arguments.upperBound
        guard let start = (arguments.lowerBound..<end).first, tokens[start].isString else {
            return true
        }
        var index = start + 1
        while index + 1 < end, tokens[index].isSymbol("::"), tokens[index + 1].isName {
            index += 2
        }
        return index != end || tokens[start].value.lowercased() == "search_path"
    }
}
