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

    /// Unicode scalars, not `Character`s: a grapheme cluster would glue a combining mark or `\n` onto `'`, `;` or
    /// `\r` and hide an operator that bash, reading bytes, still sees.
    private let characters: [Unicode.Scalar]
    private var index = 0
    private var pendingHereDocuments: [(delimiter: String, stripTabs: Bool, expands: Bool)] = []

    init(_ text: String) {
        characters = Array(text.unicodeScalars)
    }

    /// The words of `text` when it is nothing but literal words (no operators, expansions or globs), as `env -S`
    /// strings usually are; otherwise an error.
    static func words(of text: String) throws(ShellSyntaxError) -> [String] {
        var lexer = ShellLexer(text)
        return try lexer.tokens().map { token throws(ShellSyntaxError) in
            guard case .word(let word) = token, word.opacity.isEmpty, !word.unquotedGlob else {
                throw ShellSyntaxError(message: "not plain words", offset: 0)
            }
            return word.text
        }
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
            if Self.isDigit(character) {
                var end = index
                while end < characters.count, Self.isDigit(characters[end]) { end += 1 }
                if end < characters.count, characters[end] == "<" || characters[end] == ">",
                    end + 1 >= characters.count || characters[end + 1] != "("
                {
                    let descriptor = Int(text(index..<end))
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
        var bracketOpen = false
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
                word.text.unicodeScalars.append(character)
                word.text.append(contentsOf: try balanced(open: "(", close: ")"))
                word.opacity.insert(.processSubstitution)
            case "\\":
                index += 1
                guard let escaped = peek() else { return word }
                index += 1
                if escaped != "\n" {
                    word.text.unicodeScalars.append(escaped)
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
            case "*", "?":
                index += 1
                word.text.unicodeScalars.append(character)
                word.unquotedGlob = true
            case "[", "]":
                // A bracket expression needs its `]`: a lone `[` (the test command) or `[[` is literal.
                index += 1
                word.text.unicodeScalars.append(character)
                if character == "[" { bracketOpen = true } else if bracketOpen { word.unquotedGlob = true }
            case "{":
                index += 1
                word.text.unicodeScalars.append(character)
                braceOpen = true
            case "}":
                index += 1
                word.text.unicodeScalars.append(character)
                if braceOpen && (word.text.contains(",") || word.text.contains("..")) && word.text.count > 2 {
                    word.opacity.insert(.braceExpansion)
                }
            default:
                index += 1
                word.text.unicodeScalars.append(character)
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
                case "$", "`", "\"", "\\": word.text.unicodeScalars.append(escaped)
                case "\n": break
                default: word.text.unicodeScalars.append(contentsOf: ["\\", escaped])
                }
            case "$":
                try dollar(into: &word, quoted: true)
            case "`":
                index += 1
                try backticks(into: &word)
            default:
                index += 1
                word.text.unicodeScalars.append(character)
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
            word.text.append(contentsOf: text(start..<index))
        case "{":
            _ = try balanced(open: "{", close: "}")
            word.opacity.insert(.parameterExpansion)
            word.text.append(contentsOf: text(start..<index))
        default:
            if Self.isNameStart(next) {
                while let character = peek(), Self.isNameStart(character) || Self.isDigit(character) {
                    index += 1
                }
            } else if Self.isDigit(next) || "@*#?$!-".unicodeScalars.contains(next) {
                index += 1
            } else {
                word.text.append("$")
                return
            }
            word.opacity.insert(.parameterExpansion)
            word.text.append(contentsOf: text(start..<index))
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
                word.text.append(contentsOf: text(start..<index))
                return
            }
        }
        throw ShellSyntaxError(message: "unterminated backtick", offset: start)
    }

    /// Skips from an opening bracket at `index` to just past its match, minding quotes and nesting.
    private mutating func balanced(open: Unicode.Scalar, close: Unicode.Scalar) throws(ShellSyntaxError) -> String {
        let start = index
        var depth = 0
        while let character = peek() {
            index += 1
            switch character {
            case open:
                depth += 1
            case close:
                depth -= 1
                if depth == 0 { return text(start..<index) }
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

    private mutating func until(_ terminator: Unicode.Scalar) throws(ShellSyntaxError) -> String {
        let start = index
        while let character = peek() {
            index += 1
            if character == terminator { return text(start..<index - 1) }
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
                scalars.append(character)
                continue
            }
            index += 1
            let simple: [Unicode.Scalar: Unicode.Scalar] = [
                "n": "\n", "t": "\t", "r": "\r", "a": "\u{07}", "b": "\u{08}", "e": "\u{1B}", "E": "\u{1B}",
                "f": "\u{0C}", "v": "\u{0B}", "\\": "\\", "'": "'", "\"": "\"", "?": "?",
            ]
            if let scalar = simple[escape] {
                scalars.append(scalar)
            } else if escape == "x" || escape == "u" || escape == "U" || ("0"..."7").contains(escape) {
                // Bash writes `\xHH` and octal escapes as raw bytes, and a NUL ends the word there: a decoded
                // scalar differs from what runs unless it is ASCII and not NUL.
                if escape != "x" && escape != "u" && escape != "U" { index -= 1 }
                let radix = escape == "x" || escape == "u" || escape == "U" ? 16 : 8
                let limit = escape == "x" ? 2 : escape == "u" ? 4 : escape == "U" ? 8 : 3
                let value = digits(radix: radix, limit: limit)
                let byte = escape == "x" || radix == 8
                guard let value, value != 0, let scalar = Unicode.Scalar(value), !byte || value < 0x80 else {
                    throw ShellSyntaxError(message: "a $'...' escape bash turns into bytes, not text", offset: index)
                }
                scalars.append(scalar)
            } else if escape == "c" {
                throw ShellSyntaxError(message: "a $'\\c' control escape", offset: index)
            } else {
                scalars.append("\\")
                scalars.append(escape)
            }
        }
        throw ShellSyntaxError(message: "unterminated $'", offset: start - 2)
    }

    private mutating func digits(radix: Int, limit: Int) -> UInt32? {
        var text = ""
        while text.count < limit, let character = peek(), character.properties.isASCIIHexDigit,
            radix == 16 || ("0"..."7").contains(character)
        {
            text.unicodeScalars.append(character)
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
                    line.unicodeScalars.append(character)
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

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        index + offset < characters.count ? characters[index + offset] : nil
    }

    private func text(_ range: Range<Int>) -> String {
        String(String.UnicodeScalarView(characters[range]))
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        ("0"..."9").contains(scalar)
    }

    /// Bash names are ASCII letters, digits and `_`, whatever the locale.
    private static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
    }

    private func matches(_ text: String) -> Bool {
        var position = index
        for character in text.unicodeScalars {
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
