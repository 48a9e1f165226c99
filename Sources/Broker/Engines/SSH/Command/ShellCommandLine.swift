/// Reads an SSH `exec` command line the way the target's shell will, so a judge sees the commands that will run
/// rather than a string: `r''m -rf /`, `\rm` and `/bin/rm` all name `rm`; `rm${IFS}-rf /` and `$(echo rm)` are
/// marked opaque because their words exist only at run time; `sh -c '...'` and `eval` are parsed again, one level
/// deeper. What bash would reject, or this parser cannot follow, throws: a guarded resource refuses it.
enum ShellCommandLine {
    /// Scripts nested deeper than this (`sh -c "sh -c '...'"`...) are refused rather than followed.
    static let maximumDepth = 8

    static func parse(_ text: String) throws(ShellSyntaxError) -> [SimpleCommand] {
        try parse(text, depth: 0)
    }

    private static let skippedReservedWords: Set<String> = [
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "{", "}", "!", "time", "esac",
    ]
    private static let compoundReservedWords: Set<String> = ["for", "case", "select", "function", "coproc"]

    static func parse(_ text: String, depth: Int) throws(ShellSyntaxError) -> [SimpleCommand] {
        guard depth <= maximumDepth else {
            throw ShellSyntaxError(message: "scripts nested more than \(maximumDepth) deep", offset: 0)
        }
        var lexer = ShellLexer(text)
        let tokens = try lexer.tokens()
        var commands: [SimpleCommand] = []
        var current = SimpleCommand(argv: [], depth: depth)
        var subshells = 0
        var position = 0
        var previousJoins = false
        var closedSubshell = false
        /// The word before was the reserved word `time`.
        var timed = false

        func finish(_ separator: ShellSeparator?) throws(ShellSyntaxError) {
            timed = false
            let empty = current.argv.isEmpty && current.assignments.isEmpty && current.redirections.isEmpty
            if empty, closedSubshell, let separator, let last = commands.indices.last {
                // `(a; b) && c`: the separator joins the subshell, whose last command stands for it.
                commands[last].next = separator
                previousJoins = [.and, .or, .pipe, .pipeWithErrors].contains(separator)
                return
            }
            if empty {
                // A line may break after `&&`, `||` or `|`.
                if separator == .newline { return }
                if let separator, [.and, .or, .pipe, .pipeWithErrors, .background].contains(separator) {
                    throw ShellSyntaxError(message: "nothing before '\(separator.rawValue)'", offset: position)
                }
                if previousJoins, separator != nil {
                    throw ShellSyntaxError(message: "a command must follow '&&', '||' or '|'", offset: position)
                }
                current = SimpleCommand(argv: [], depth: depth)
                return
            }
            current.next = separator
            commands.append(contentsOf: try CommandReader.read(current))
            previousJoins = separator.map { [.and, .or, .pipe, .pipeWithErrors].contains($0) } ?? false
            current = SimpleCommand(argv: [], depth: depth)
        }

        var iterator = tokens.makeIterator()
        while let token = iterator.next() {
            position += 1
            defer { closedSubshell = token == .close }
            switch token {
            case .word(let word):
                defer { if !current.argv.isEmpty { timed = false } }
                current.opaque.formUnion(word.opacity)
                if current.argv.isEmpty, !word.quoted, word.opacity.isEmpty {
                    if skippedReservedWords.contains(word.text) && current.assignments.isEmpty {
                        timed = word.text == "time"
                        continue
                    }
                    // `time -p rm ...`: the reserved word takes -p, which is not the command's name.
                    if timed, word.text == "-p" || word.text == "--" {
                        continue
                    }
                    if compoundReservedWords.contains(word.text) { current.opaque.insert(.compound) }
                    if isAssignment(word.text) {
                        current.assignments.append(word.text)
                        continue
                    }
                }
                if current.argv.isEmpty, word.unquotedGlob { current.opaque.insert(.globbedName) }
                if word.unquotedGlob { current.globbedWords.insert(current.argv.count) }
                current.argv.append(word.text)
            case .redirection(let descriptor, let symbol):
                guard case .word(let target)? = iterator.next() else {
                    throw ShellSyntaxError(message: "redirection '\(symbol)' without a target", offset: position)
                }
                position += 1
                if !symbol.hasPrefix("<<") || symbol == "<<<" { current.opaque.formUnion(target.opacity) }
                current.redirections.append(
                    ShellRedirection(descriptor: descriptor, symbol: symbol, target: target.text)
                )
            case .expandedHereDocument:
                if let last = commands.indices.last, current.argv.isEmpty {
                    commands[last].opaque.insert(.expandedHereDocument)
                } else {
                    current.opaque.insert(.expandedHereDocument)
                }
            case .separator(let separator):
                try finish(separator)
            case .open:
                if current.argv.count == 1, current.assignments.isEmpty {
                    // `name() { ...; }` defines a function: its body runs whenever the name is used later.
                    guard case .close? = iterator.next() else {
                        throw ShellSyntaxError(message: "unexpected '('", offset: position)
                    }
                    position += 1
                    current.opaque.insert(.compound)
                    try finish(nil)
                    continue
                }
                guard current.argv.isEmpty, current.assignments.isEmpty else {
                    throw ShellSyntaxError(message: "unexpected '('", offset: position)
                }
                subshells += 1
            case .close:
                guard subshells > 0 else { throw ShellSyntaxError(message: "unexpected ')'", offset: position) }
                subshells -= 1
                try finish(nil)
            }
        }
        try finish(nil)
        guard subshells == 0 else { throw ShellSyntaxError(message: "unclosed '('", offset: position) }
        if previousJoins { throw ShellSyntaxError(message: "the command line ends with an operator", offset: position) }
        if let last = commands.indices.last, commands[last].next == .semicolon || commands[last].next == .newline {
            commands[last].next = nil
        }
        return commands
    }

    private static func isAssignment(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
        var name = word[..<equals]
        if name.hasSuffix("+") { name = name.dropLast() }
        if let bracket = name.firstIndex(of: "[") {
            guard name.hasSuffix("]") else { return false }
            name = name[..<bracket]
        }
        guard let first = name.first, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
