/// Splits SQL text into tokens with the exact quoting and comment rules of one dialect.
///
/// The lexer mirrors the server's scanner rather than approximating it: where the two disagree on where a string
/// or comment ends, an attacker can hide a statement from the guardrails. Anything the lexer cannot read with
/// certainty (unterminated constructs, NUL characters, stray characters, invalid escapes) is a problem, which makes
/// the broker refuse the text.
///
/// Whitespace is ASCII only (space, tab, line feed, carriage return, vertical tab, form feed), as on both servers:
/// every non-ASCII character, Unicode spaces included, is part of an identifier, so `DROP<U+00A0>TABLE t` is one
/// unknown word here just as it is a syntax error there. A MySQL conditional comment (`/*!NNNNN ... */`,
/// `/*M! ... */`) runs or not by the server's flavour and version, so it is read both ways (see `Reading`).
struct SQLLexer {
    /// The server settings that change how literals are read.
    ///
    /// A client can change them within its session (`SET standard_conforming_strings = off`, MySQL `sql_mode`), so
    /// the analysis lexes the text under every reading in which a literal could end elsewhere.
    struct Reading: Sendable, Hashable {
        /// Backslash escapes in plain `'...'` strings: PostgreSQL with `standard_conforming_strings = off`, MySQL
        /// without `NO_BACKSLASH_ESCAPES`.
        var backslashEscapesInStrings: Bool
        /// `"..."` is an identifier (PostgreSQL always, MySQL with `ANSI_QUOTES`) rather than a string.
        var doubleQuotesDelimitIdentifiers: Bool

        /// MySQL conditional comments (`/*!NNNNN ...*/` with a version, MariaDB `/*M! ...*/`) are code rather than
        /// comments. The server decides by its version and flavour (MariaDB skips `/*!50700` up to `/*!99999`,
        /// MySQL skips every `/*M!`), so both readings are analysed.
        var conditionalCommentsRun = true

        /// The server defaults.
        static func primary(for dialect: SQLDialect) -> Reading {
            readings(for: dialect, mysqlModes: .unknown)[0]
        }

        /// Every reading a session could have, the most likely first. For MySQL the known modes are fixed and
        /// the unknown ones take both values.
        static func readings(for dialect: SQLDialect, mysqlModes: MySQLLexicalModes) -> [Reading] {
            switch dialect {
            case .postgres:
                return [
                    Reading(backslashEscapesInStrings: false, doubleQuotesDelimitIdentifiers: true),
                    Reading(backslashEscapesInStrings: true, doubleQuotesDelimitIdentifiers: true),
                ]
            case .mysql:
                var readings: [Reading] = []
                for run in [true, false] {
                    for backslashes in MySQLLexicalModes.values(mysqlModes.backslashEscapes, default: true) {
                        for ansi in MySQLLexicalModes.values(mysqlModes.ansiQuotes, default: false) {
                            readings.append(
                                Reading(
                                    backslashEscapesInStrings: backslashes, doubleQuotesDelimitIdentifiers: ansi,
                                    conditionalCommentsRun: run))
                        }
                    }
                }
                return readings
            }
        }
    }

    /// The tokens read, and the problem that stopped the lexer (tokens before it are kept).
    struct Output {
        var tokens: [SQLToken]
        var problem: SQLAnalysisProblem?
        /// True when some literal would read differently under another `Reading`.
        var readingMatters: Bool
    }

    let source: SQLSource
    let dialect: SQLDialect
    let reading: Reading
    var position = 0
    var tokens: [SQLToken] = []
    var readingMatters = false
    /// The MySQL executable comment we are inside, if any: where it starts, and where its first `*/` is.
    var executableComment: (start: Int, end: Int)?
    /// The opening (`/*!50700`, `/*M!`) of the first conditional comment; see `enterMySQLComment`.
    var conditionalMarker: String?

    static func tokenize(_ source: SQLSource, dialect: SQLDialect, reading: Reading) -> Output {
        var lexer = SQLLexer(source: source, dialect: dialect, reading: reading)
        do {
            try lexer.run()
            return Output(tokens: lexer.tokens, problem: nil, readingMatters: lexer.readingMatters)
        } catch {
            return Output(tokens: lexer.tokens, problem: error, readingMatters: lexer.readingMatters)
        }
    }

    private init(source: SQLSource, dialect: SQLDialect, reading: Reading) {
        self.source = source
        self.dialect = dialect
        self.reading = reading
    }

    private mutating func run() throws(SQLAnalysisProblem) {
        while let scalar = source[position] {
            if scalar == "\0" {
                throw source.problem(.nulByte, at: position, "the text contains a NUL character")
            }
            if try skipTrivia(scalar) {
                try checkExecutableCommentBoundary()
                continue
            }
            try lexToken(scalar)
            try checkExecutableCommentBoundary()
        }
    }

    // MARK: - Whitespace and comments

    /// Skips one whitespace character or comment; returns false when a token starts here.
    private mutating func skipTrivia(_ scalar: Unicode.Scalar) throws(SQLAnalysisProblem) -> Bool {
        if Self.isWhitespace(scalar) {
            position += 1
            return true
        }
        let next = source[position + 1]
        switch dialect {
        case .postgres:
            if scalar == "-" && next == "-" {
                position = Self.endOfLineComment(source, from: position, endsAtCarriageReturn: true)
                return true
            }
            if scalar == "/" && next == "*" {
                try skipBlockComment(nesting: true)
                return true
            }
        case .mysql:
            var lineComment = scalar == "#"
            if scalar == "-" && next == "-" {
                lineComment = try startsMySQLDashComment()
            }
            if lineComment {
                position = Self.endOfLineComment(source, from: position, endsAtCarriageReturn: false)
                return true
            }
            if scalar == "/" && next == "*" {
                try enterMySQLComment()
                return true
            }
            if scalar == "*" && next == "/" && executableComment?.end == position {
                executableComment = nil
                position += 2
                return true
            }
        }
        return false
    }

    /// The index of the line break ending a line comment (PostgreSQL also ends one at a carriage return).
    static func endOfLineComment(_ source: SQLSource, from start: Int, endsAtCarriageReturn: Bool) -> Int {
        var index = start
        while let scalar = source[index], scalar != "\n", !(endsAtCarriageReturn && scalar == "\r") {
            index += 1
        }
        return index
    }

    /// MySQL starts a `--` comment only when a space or control character (or the end) follows the dashes.
    static func endsMySQLDashes(_ scalar: Unicode.Scalar?) -> Bool {
        guard let scalar else {
            return true
        }
        return scalar.value <= 0x20 || scalar.value == 0x7F
    }

    mutating func skipBlockComment(nesting: Bool) throws(SQLAnalysisProblem) {
        let start = position
        position += 2
        var depth = 1
        while depth > 0 {
            guard let scalar = source[position] else {
                throw source.problem(.unterminatedComment, at: start, "block comment /* is not closed")
            }
            if scalar == "\0" {
                throw source.problem(.nulByte, at: position, "the text contains a NUL character")
            }
            if scalar == "*" && source[position + 1] == "/" {
                depth -= 1
                position += 2
            } else if nesting && scalar == "/" && source[position + 1] == "*" {
                depth += 1
                position += 2
            } else {
                position += 1
            }
        }
    }

    // MARK: - Tokens

    private mutating func lexToken(_ scalar: Unicode.Scalar) throws(SQLAnalysisProblem) {
        let start = position
        if try lexPrefixedLiteral(scalar) {
            return
        }
        switch scalar {
        case "'":
            position += 1
            let value = try readQuotedString(quote: "'", start: start)
            try checkIntroducer(before: value, at: start)
            append(.string(.standard), value, from: start)
        case "\"":
            position += 1
            if reading.doubleQuotesDelimitIdentifiers {
                let name = try readQuotedIdentifier(quote: "\"", start: start)
                append(.quotedIdentifier, foldIdentifier(name, quoted: true), from: start)
            } else {
                readingMatters = true
                let value = try readQuotedString(quote: "\"", start: start)
                try checkIntroducer(before: value, at: start)
                append(.string(.standard), value, from: start)
            }
        case "`" where dialect == .mysql:
            position += 1
            let name = try readQuotedIdentifier(quote: "`", start: start)
            append(.quotedIdentifier, name, from: start)
        case "$" where dialect == .postgres:
            try lexDollar()
        case "?" where dialect == .mysql:
            position += 1
            append(.parameter, "?", from: start)
        case "@" where dialect == .mysql:
            lexMySQLVariable()
        case ";" where executableComment != nil:
            throw source.problem(
                .ambiguousComment, at: start,
                "a semicolon inside an executable comment: the server refuses or splits such a text unpredictably")
        case "(", ")", ",", ";", "[", "]":
            position += 1
            append(.symbol, String(scalar), from: start)
        case "{" where dialect == .mysql, "}" where dialect == .mysql:
            position += 1
            append(.symbol, String(scalar), from: start)
        case ":":
            let next = source[position + 1]
            position += next == ":" || next == "=" ? 2 : 1
            append(.symbol, source.text(start..<position), from: start)
        case ".":
            if let next = source[position + 1], Self.isDigit(next) {
                lexNumber()
            } else {
                position += 1
                append(.symbol, ".", from: start)
            }
        default:
            if Self.isDigit(scalar) {
                lexNumber()
            } else if isIdentifierStart(scalar) {
                lexWord()
            } else if isOperatorCharacter(scalar) {
                lexOperator()
            } else {
                throw source.problem(
                    .unexpectedCharacter, at: start,
                    "unexpected character U+\(String(scalar.value, radix: 16, uppercase: true))")
            }
        }
    }

    mutating func append(_ kind: SQLToken.Kind, _ value: String, from start: Int) {
        tokens.append(SQLToken(kind: kind, value: value, range: start..<position))
    }

    /// The servers' whitespace: ASCII space, tab, line feed, vertical tab, form feed and carriage return.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == " " || (scalar.value >= 0x09 && scalar.value <= 0x0D)
    }

    static func isDigit(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x30 && scalar.value <= 0x39
    }

    static func isASCIILetter(_ scalar: Unicode.Scalar) -> Bool {
        (scalar.value | 0x20) >= 0x61 && (scalar.value | 0x20) <= 0x7A
    }

    /// Letters, `_` and any non-ASCII character start identifiers on both servers (MySQL also allows `$`).
    private func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
        Self.isASCIILetter(scalar) || scalar == "_" || scalar.value >= 0x80 || (dialect == .mysql && scalar == "$")
    }

    func isIdentifierContinuation(_ scalar: Unicode.Scalar) -> Bool {
        isIdentifierStart(scalar) || Self.isDigit(scalar) || scalar == "$"
    }

    private func isOperatorCharacter(_ scalar: Unicode.Scalar) -> Bool {
        switch dialect {
        case .postgres: "+-*/<>=~!@#%^&|`?".unicodeScalars.contains(scalar)
        case .mysql: "+-*/<>=~!%^&|".unicodeScalars.contains(scalar)
        }
    }

    private mutating func lexWord() {
        let start = position
        while let scalar = source[position], isIdentifierContinuation(scalar) {
            position += 1
        }
        append(.word, foldIdentifier(source.text(start..<position), quoted: false), from: start)
    }

    /// PostgreSQL folds unquoted names to lower case (ASCII only) and truncates every name to 63 bytes; MySQL
    /// keywords are case-insensitive, and table names keep their spelling (taken from the source when needed).
    func foldIdentifier(_ name: String, quoted: Bool) -> String {
        var folded = name
        if !quoted, name.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) {
            // Only ASCII capitals change; every byte of a multi-byte character is >= 0x80 and stays.
            folded = String(decoding: name.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
        }
        guard dialect == .postgres, folded.utf8.count > 63 else {
            return folded
        }
        var truncated = String.UnicodeScalarView()
        var bytes = 0
        for scalar in folded.unicodeScalars {
            bytes += UTF8.width(scalar)
            if bytes > 63 {
                break
            }
            truncated.append(scalar)
        }
        return String(truncated)
    }

    private mutating func lexNumber() {
        let start = position
        let numberEnd = Self.endOfNumber(source, from: start)
        if dialect == .mysql && source[start] != "." {
            var wordEnd = start
            while let scalar = source[wordEnd], isIdentifierContinuation(scalar) {
                wordEnd += 1
            }
            if wordEnd > numberEnd && !Self.isMySQLRadixLiteral(source.text(start..<wordEnd)) {
                position = wordEnd
                append(.word, foldIdentifier(source.text(start..<wordEnd), quoted: false), from: start)
                return
            }
            position = max(numberEnd, wordEnd)
        } else {
            position = numberEnd
        }
        append(.number, source.text(start..<position), from: start)
    }

    /// Digits, an optional fraction (not `..`) and an optional exponent.
    private static func endOfNumber(_ source: SQLSource, from start: Int) -> Int {
        var index = start
        while let scalar = source[index], isDigit(scalar) {
            index += 1
        }
        if source[index] == ".", source[index + 1] != "." {
            index += 1
            while let scalar = source[index], isDigit(scalar) {
                index += 1
            }
        }
        if let marker = source[index], marker == "e" || marker == "E" {
            var exponent = index + 1
            if source[exponent] == "+" || source[exponent] == "-" {
                exponent += 1
            }
            if let digit = source[exponent], isDigit(digit) {
                index = exponent
                while let scalar = source[index], isDigit(scalar) {
                    index += 1
                }
            }
        }
        return index
    }

    private static func isMySQLRadixLiteral(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count > 2, scalars[0] == "0" else {
            return false
        }
        let digits = scalars[2...]
        switch scalars[1] {
        case "x": return digits.allSatisfy { $0.properties.isASCIIHexDigit }
        case "b": return digits.allSatisfy { $0 == "0" || $0 == "1" }
        default: return false
        }
    }

    /// A run of operator characters; a `--` or `/*` inside it starts a comment, and (PostgreSQL) a trailing `+` or
    /// `-` belongs to the next token unless the operator contains one of `~!@#%^&|`?`.
    private mutating func lexOperator() {
        let start = position
        position += 1
        while let scalar = source[position], isOperatorCharacter(scalar) {
            let next = source[position + 1]
            if scalar == "/" && next == "*" {
                break
            }
            if scalar == "-" && next == "-"
                && (dialect == .postgres || Self.endsMySQLDashes(source[position + 2])
                    || source[position + 2].map { !$0.isASCII } == true)
            {
                break
            }
            position += 1
        }
        if dialect == .postgres && position - start > 1 {
            let text = source.scalars[start..<position]
            if !text.contains(where: { "~!@#%^&|`?".unicodeScalars.contains($0) }) {
                while position - start > 1, let last = source[position - 1], last == "+" || last == "-" {
                    position -= 1
                }
            }
        }
        append(.symbol, source.text(start..<position), from: start)
    }

    /// `@name`, `@@scope.name`; a bare `@` (before a quoted name) is a symbol.
    private mutating func lexMySQLVariable() {
        let start = position
        position += source[position + 1] == "@" ? 2 : 1
        let nameStart = position
        while let scalar = source[position], isIdentifierContinuation(scalar) || scalar == "." {
            position += 1
        }
        let kind: SQLToken.Kind = position > nameStart ? .parameter : .symbol
        append(kind, foldIdentifier(source.text(start..<position), quoted: false), from: start)
    }
}
