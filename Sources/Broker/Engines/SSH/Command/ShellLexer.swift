/// Splits a command line into words and operators the way bash does: quotes (single, double, `$'...'`), backslash
/// escapes, line continuations, comments, substitutions kept whole (with their nesting), operators and
/// redirections, and here-document bodies, which are skipped so their lines are not taken for commands.
struct ShellLexer {
    enum Token: Equatable {
        case word(ShellWord)
        case separator(ShellSeparator)
        case redirection(descriptor: Int?, symbol: String)
        case open
        case close
        /// The here-document(s) of the command before this point expand `$` or backticks in their bodies.
        case expandedHereDocument
    }

    private let characters: [Character]
    private var index = 0
    private var pendingHereDocuments: [(delimiter: String, stripTabs: Bool, expands: Bool)] = []

    init(_ text: String) {
        characters = Array(text)
    }

    mutating func tokens() throws(ShellSyntaxError) -> [Token] {
        var tokens: [Token] = []
        var expectHereDelimiter: Bool?
        while let token = try next() {
            if let pending = expectHereDelimiter, case .word(let word) = token {
                pendingHereDocuments.append((word.text, pending, !word.quoted))
                expectHereDelimiter = nil
            }
            if case .redirection(_, let op) = token, op == "<<" || op == "<<-" {
                expectHereDelimiter = op == "<<-"
            }
            if case .separator(.newline) = token, !pendingHereDocuments.isEmpty, try readHereDocuments() {
                tokens.append(.expandedHereDocument)
            }
            tokens.append(token)
        }
        if !pendingHereDocuments.isEmpty {
            throw ShellSyntaxError(message: "here-document without its body", offset: index)
        }
        return tokens
    }

    // MARK: Tokens

    private mutating func next() throws(ShellSyntaxError) -> Token? {
        skipBlanks()
        guard let character = peek() else { return nil }
        switch character {
        case "\n":
            index += 1
            return .separator(.newline)
        case "#":
            while let next = peek(), next != "\n" { index += 1 }
            return try next()
        case ";":
            index += 1
            if peek() == ";" { index += 1 }
            return .separator(.semicolon)
        case "&":
            index += 1
            if peek() == "&" {
                index += 1
                return .separator(.and)
            }
            if peek() == ">" {
                index += 1
                guard peek() == ">" else { return .redirection(descriptor: nil, symbol: "&>") }
                index += 1
                return .redirection(descriptor: nil, symbol: "&>>")
            }
            return .separator(.background)
        case "|":
            index += 1
            if peek() == "|" {
                index += 1
                return .separator(.or)
            }
            if peek() == "&" {
                index += 1
                return .separator(.pipeWithErrors)
            }
            return .separator(.pipe)
        case "(":
            index += 1
            return .open
        case ")":
            index += 1
            return .close
        case "<", ">":
            if peek(1) == "(" { return .word(try word()) }
            return .redirection(descriptor: nil, symbol: redirectionOperator())
        default:
            if character.isASCII, character.isNumber {
                var end = index
                while end < characters.count, characters[end].isASCII, characters[end].isNumber { end += 1 }
                if end < characters.count, characters[end] == "<" || characters[end] == ">",
                    end + 1 >= characters.count || characters[end + 1] != "("
                {
                    let descriptor = Int(String(characters[index..<end]))
                    index = end
                    return .redirection(descriptor: descriptor, symbol: redirectionOperator())
                }
            }
            return .word(try word())
        }
    }

    private mutating func redirectionOperator() -> String {
        let candidates = ["<<<", "<<-", "<<", "<&", "<>", "<", ">>", ">&", ">|", ">"]
        for candidate in candidates where matches(candidate) {
            index += candidate.count
            return candidate
        }
        return ""
    }

    // MARK: Words

    private mutating func word() throws(ShellSyntaxError) -> ShellWord {
        var word = ShellWord()
        var braceOpen = false
        while let character = peek() {
            switch character {
            case " ", "\t", "\n", ";", "&", "|", ")":
                return word
            case "(":
                // `name()` defines a function; elsewhere a parenthesis ends the word.
                return word
            case "<", ">":
                guard peek(1) == "(" else { return word }
                index += 1
                word.text.append(character)
                word.text.append(contentsOf: try balanced(open: "(", close: ")"))
                word.opacity.insert(.processSubstitution)
            case "\\":
                index += 1
                guard let escaped = peek() else { return word }
                index += 1
                if escaped != "\n" {
                    word.text.append(escaped)
                    word.quoted = true
                }
            case "'":
                index += 1
                word.quoted = true
                word.text.append(contentsOf: try until("'"))
            case "\"":
                index += 1
                word.quoted = true
                try doubleQuoted(into: &word)
            case "$":
                try dollar(into: &word, quoted: false)
            case "`":
                index += 1
                try backticks(into: &word)
            case "*", "?", "[":
                index += 1
                word.text.append(character)
                word.unquotedGlob = true
            case "{":
                index += 1
                word.text.append(character)
                braceOpen = true
            case "}":
                index += 1
                word.text.append(character)
                if braceOpen && (word.text.contains(",") || word.text.contains("..")) && word.text.count > 2 {
                    word.opacity.insert(.braceExpansion)
                }
            default:
                index += 1
                word.text.append(character)
            }
        }
        return word
    }

    private mutating func doubleQuoted(into word: inout ShellWord) throws(ShellSyntaxError) {
        let start = index
        while let character = peek() {
            switch character {
            case "\"":
                index += 1
                return
            case "\\":
                index += 1
                guard let escaped = peek() else { break }
                index += 1
                switch escaped {
                case "$", "`", "\"", "\\": word.text.append(escaped)
                case "\n": break
                default: word.text.append(contentsOf: ["\\", escaped])
                }
            case "$":
                try dollar(into: &word, quoted: true)
            case "`":
                index += 1
                try backticks(into: &word)
            default:
                index += 1
                word.text.append(character)
            }
        }
        throw ShellSyntaxError(message: "unterminated double quote", offset: start - 1)
    }

    /// `$'...'`, `$"..."`, `$(...)`, `$((...))`, `${...}`, `$name`, `$1`, `$?`; a lone `$` is literal.
    private mutating func dollar(into word: inout ShellWord, quoted: Bool) throws(ShellSyntaxError) {
        let start = index
        index += 1
        guard let next = peek() else {
            word.text.append("$")
            return
        }
        switch next {
        case "'" where !quoted:
            index += 1
            word.quoted = true
            word.text.append(contentsOf: try ansiC())
        case "\"" where !quoted:
            index += 1
            word.quoted = true
            try doubleQuoted(into: &word)
        case "(":
            if peek(1) == "(" {
                _ = try balanced(open: "(", close: ")")
                word.opacity.insert(.arithmeticExpansion)
            } else {
                _ = try balanced(open: "(", close: ")")
                word.opacity.insert(.commandSubstitution)
            }
            word.text.append(contentsOf: String(characters[start..<index]))
        case "{":
            _ = try balanced(open: "{", close: "}")
            word.opacity.insert(.parameterExpansion)
            word.text.append(contentsOf: String(characters[start..<index]))
        default:
            if next.isLetter || next == "_" {
                while let character = peek(), character.isLetter || character.isNumber || character == "_" {
                    index += 1
                }
            } else if next.isNumber || "@*#?$!-".contains(next) {
                index += 1
            } else {
                word.text.append("$")
                return
            }
            word.opacity.insert(.parameterExpansion)
            word.text.append(contentsOf: String(characters[start..<index]))
        }
    }

    private mutating func backticks(into word: inout ShellWord) throws(ShellSyntaxError) {
        let start = index - 1
        while let character = peek() {
            index += 1
            if character == "\\" {
                index += 1
            } else if character == "`" {
                word.opacity.insert(.commandSubstitution)
                word.text.append(contentsOf: String(characters[start..<index]))
                return
            }
        }
        throw ShellSyntaxError(message: "unterminated backtick", offset: start)
    }

    /// Skips from an opening bracket at `index` to just past its match, minding quotes and nesting.
    private mutating func balanced(open: Character, close: Character) throws(ShellSyntaxError) -> String {
        let start = index
        var depth = 0
        while let character = peek() {
            index += 1
            switch character {
            case open:
                depth += 1
            case close:
                depth -= 1
                if depth == 0 { return String(characters[start..<index]) }
            case "\\":
                index += 1
            case "'":
                _ = try until("'")
            case "\"":
                var ignored = ShellWord()
                try doubleQuoted(into: &ignored)
            default:
                break
            }
        }
        throw ShellSyntaxError(message: "unterminated \(open)", offset: start)
    }

    private mutating func until(_ terminator: Character) throws(ShellSyntaxError) -> String {
        let start = index
        while let character = peek() {
            index += 1
            if character == terminator { return String(characters[start..<index - 1]) }
        }
        throw ShellSyntaxError(message: "unterminated \(terminator)", offset: start - 1)
    }

    /// The body of `$'...'` with its escapes decoded (`$'\x72m'` is `rm`).
    private mutating func ansiC() throws(ShellSyntaxError) -> String {
        let start = index
        var scalars: [Unicode.Scalar] = []
        while let character = peek() {
            index += 1
            if character == "'" { return String(String.UnicodeScalarView(scalars)) }
            guard character == "\\", let escape = peek() else {
                scalars.append(contentsOf: character.unicodeScalars)
                continue
            }
            index += 1
            let simple: [Character: Unicode.Scalar] = [
                "n": "\n", "t": "\t", "r": "\r", "a": "\u{07}", "b": "\u{08}", "e": "\u{1B}", "E": "\u{1B}",
                "f": "\u{0C}", "v": "\u{0B}", "\\": "\\", "'": "'", "\"": "\"", "?": "?",
            ]
            if let scalar = simple[escape] {
                scalars.append(scalar)
            } else if escape == "x" || escape == "u" || escape == "U" {
                let limit = escape == "x" ? 2 : escape == "u" ? 4 : 8
                let value = digits(radix: 16, limit: limit)
                if let value, let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
            } else if ("0"..."7").contains(escape) {
                index -= 1
                if let value = digits(radix: 8, limit: 3), let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
            } else {
                scalars.append("\\")
                scalars.append(contentsOf: escape.unicodeScalars)
            }
        }
        throw ShellSyntaxError(message: "unterminated $'", offset: start - 2)
    }

    private mutating func digits(radix: Int, limit: Int) -> UInt32? {
        var text = ""
        while text.count < limit, let character = peek(), character.isHexDigit,
            radix == 16 || ("0"..."7").contains(character)
        {
            text.append(character)
            index += 1
        }
        return UInt32(text, radix: radix)
    }

    // MARK: Here-documents

    /// Skips the bodies of the here-documents announced on the line just ended; true if one of them expands.
    private mutating func readHereDocuments() throws(ShellSyntaxError) -> Bool {
        var expands = false
        for document in pendingHereDocuments {
            var found = false
            while index < characters.count {
                var line = ""
                while let character = peek(), character != "\n" {
                    line.append(character)
                    index += 1
                }
                if peek() == "\n" { index += 1 }
                if document.stripTabs { line = String(line.drop { $0 == "\t" }) }
                if line == document.delimiter {
                    found = true
                    break
                }
                if document.expands, line.contains("$") || line.contains("`") { expands = true }
            }
            if !found {
                throw ShellSyntaxError(message: "here-document not ended by \(document.delimiter)", offset: index)
            }
        }
        pendingHereDocuments.removeAll()
        return expands
    }

    // MARK: Characters

    private func peek(_ offset: Int = 0) -> Character? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private func matches(_ text: String) -> Bool {
        var position = index
        for character in text {
            guard position < characters.count, characters[position] == character else { return false }
            position += 1
        }
        return true
    }

    private mutating func skipBlanks() {
        while let character = peek() {
            if character == " " || character == "\t" {
                index += 1
            } else if character == "\\", peek(1) == "\n" {
                index += 2
            } else {
                return
            }
        }
    }
}

/// A word after quote removal, with what the shell would still compute in it.
struct ShellWord: Equatable {
    var text = ""
    /// Some part was quoted or escaped (so it is never a reserved word or an assignment's name).
    var quoted = false
    var unquotedGlob = false
    var opacity: Set<ShellOpacity> = []
}
