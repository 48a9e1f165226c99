// MARK: - String literals, quoted identifiers and dollar quotes

extension SQLLexer {
    /// `E'...'`, `B'...'`, `X'...'`, `N'...'`, `U&'...'` and `U&"..."`; the prefix only counts when the quote
    /// follows it immediately.
    mutating func lexPrefixedLiteral(_ scalar: Unicode.Scalar) throws(SQLAnalysisProblem) -> Bool {
        guard Self.isASCIILetter(scalar) else {
            return false
        }
        let start = position
        let letter = Character(Unicode.Scalar(scalar.value | 0x20)!)
        let next = source[position + 1]
        switch letter {
        case "e" where dialect == .postgres && next == "'":
            position += 2
            let value = try readPostgresQuoted(escapes: true, start: start)
            append(.string(.escape), value, from: start)
        case "b" where next == "'", "x" where next == "'":
            position += 2
            let value = try readUnescapedQuoted(start: start)
            append(.string(letter == "b" ? .bit : .hex), value, from: start)
        case "n" where next == "'":
            position += 2
            let value = try readQuotedString(quote: "'", start: start)
            append(.string(.national), value, from: start)
        case "u"
        where dialect == .postgres && next == "&" && (source[position + 2] == "'" || source[position + 2] == "\""):
            try lexUnicodeLiteral()
        default:
            return false
        }
        return true
    }

    /// The next scalar of a literal; the end of the text or a NUL inside a literal is a problem.
    private mutating func take(
        orReport kind: SQLAnalysisProblem.Kind, start: Int, _ reason: String
    ) throws(SQLAnalysisProblem) -> Unicode.Scalar {
        guard let scalar = source[position] else {
            throw source.problem(kind, at: start, reason)
        }
        if scalar == "\0" {
            throw source.problem(.nulByte, at: position, "the text contains a NUL character")
        }
        position += 1
        return scalar
    }

    /// The body of a `'...'` (or MySQL `"..."`) string after its opening quote, under the current reading.
    mutating func readQuotedString(quote: Unicode.Scalar, start: Int) throws(SQLAnalysisProblem) -> String {
        switch dialect {
        case .postgres:
            return try readPostgresQuoted(escapes: reading.backslashEscapesInStrings, start: start)
        case .mysql:
            return try readMySQLQuoted(quote: quote, start: start)
        }
    }

    /// A PostgreSQL `'...'` body: `''` is a quote, a string continues across a line break into the next `'...'`,
    /// and with `escapes` (E'' strings, or any string when standard_conforming_strings is off) backslash escapes
    /// are decoded.
    mutating func readPostgresQuoted(
        escapes: Bool, flagsBackslashes: Bool = true, start: Int
    ) throws(SQLAnalysisProblem) -> String {
        var bytes: [UInt8] = []
        var pendingHighSurrogate: UInt32?
        while true {
            let scalar = try take(orReport: .unterminatedString, start: start, "string literal is not closed")
            if scalar == "'" {
                if source[position] == "'" {
                    position += 1
                    bytes.append(0x27)
                    continue
                }
                if let continuation = Self.postgresContinuation(source, after: position) {
                    position = continuation + 1
                    continue
                }
                break
            }
            if scalar == "\\" {
                if escapes {
                    try readPostgresEscape(into: &bytes, pendingHighSurrogate: &pendingHighSurrogate, start: start)
                    continue
                }
                readingMatters = readingMatters || flagsBackslashes
            }
            if pendingHighSurrogate != nil {
                throw source.problem(.invalidEscape, at: start, "Unicode high surrogate is not followed by a low one")
            }
            bytes.append(contentsOf: UTF8.encode(scalar)!)
        }
        if pendingHighSurrogate != nil {
            throw source.problem(.invalidEscape, at: start, "Unicode high surrogate is not followed by a low one")
        }
        return try decode(bytes, start: start)
    }

    /// Where the next part of a continued string starts: after the closing quote, spaces and `--` comments, at
    /// least one line break, then more whitespace, a `'` continues the same literal.
    static func postgresContinuation(_ source: SQLSource, after index: Int) -> Int? {
        var cursor = index
        while let scalar = source[cursor] {
            if scalar == " " || scalar == "\t" || scalar == "\u{0C}" {
                cursor += 1
            } else if scalar == "-" && source[cursor + 1] == "-" {
                cursor = endOfLineComment(source, from: cursor, endsAtCarriageReturn: true)
            } else {
                break
            }
        }
        guard let lineBreak = source[cursor], lineBreak == "\n" || lineBreak == "\r" else {
            return nil
        }
        cursor += 1
        while let scalar = source[cursor] {
            if " \t\n\r\u{0B}\u{0C}".unicodeScalars.contains(scalar) {
                cursor += 1
            } else if scalar == "-" && source[cursor + 1] == "-" {
                cursor = endOfLineComment(source, from: cursor, endsAtCarriageReturn: true)
            } else {
                break
            }
        }
        return source[cursor] == "'" ? cursor : nil
    }

    /// One backslash escape of a PostgreSQL escape string, the backslash already read.
    private mutating func readPostgresEscape(
        into bytes: inout [UInt8], pendingHighSurrogate: inout UInt32?, start: Int
    ) throws(SQLAnalysisProblem) {
        let escape = try take(orReport: .unterminatedString, start: start, "string literal is not closed")
        if escape == "u" || escape == "U" {
            let width = escape == "u" ? 4 : 8
            guard let value = Self.hexValue(in: source, at: position, width: width) else {
                throw source.problem(.invalidEscape, at: position - 2, "invalid Unicode escape \\\(escape)")
            }
            position += width
            try appendCodePoint(value, to: &bytes, pendingHighSurrogate: &pendingHighSurrogate, at: start)
            return
        }
        if pendingHighSurrogate != nil {
            throw source.problem(.invalidEscape, at: start, "Unicode high surrogate is not followed by a low one")
        }
        switch escape {
        case "b": bytes.append(0x08)
        case "f": bytes.append(0x0C)
        case "n": bytes.append(0x0A)
        case "r": bytes.append(0x0D)
        case "t": bytes.append(0x09)
        case "0"..."7":
            var value = escape.value - 0x30
            for _ in 0..<2 {
                guard let digit = source[position], digit.value >= 0x30 && digit.value <= 0x37 else {
                    break
                }
                value = value * 8 + digit.value - 0x30
                position += 1
            }
            bytes.append(UInt8(value & 0xFF))
        case "x" where Self.hexValue(in: source, at: position, width: 1) != nil:
            let width = Self.hexValue(in: source, at: position, width: 2) != nil ? 2 : 1
            bytes.append(UInt8(Self.hexValue(in: source, at: position, width: width)!))
            position += width
        default:
            bytes.append(contentsOf: UTF8.encode(escape)!)
        }
    }

    /// Appends a code point from a Unicode escape, pairing UTF-16 surrogates as PostgreSQL does.
    private func appendCodePoint(
        _ value: UInt32, to bytes: inout [UInt8], pendingHighSurrogate: inout UInt32?, at start: Int
    ) throws(SQLAnalysisProblem) {
        var codePoint = value
        if let high = pendingHighSurrogate {
            guard (0xDC00...0xDFFF).contains(value) else {
                throw source.problem(.invalidEscape, at: start, "Unicode high surrogate is not followed by a low one")
            }
            codePoint = 0x10000 + ((high - 0xD800) << 10) + (value - 0xDC00)
            pendingHighSurrogate = nil
        } else if (0xD800...0xDBFF).contains(value) {
            pendingHighSurrogate = value
            return
        }
        guard codePoint != 0, let scalar = Unicode.Scalar(codePoint) else {
            throw source.problem(
                .invalidEscape, at: start,
                "invalid Unicode escape value U+\(String(codePoint, radix: 16, uppercase: true))")
        }
        bytes.append(contentsOf: UTF8.encode(scalar)!)
    }

    /// Decoded bytes must be valid UTF-8 without NUL, or the server rejects the literal.
    private func decode(_ bytes: [UInt8], start: Int) throws(SQLAnalysisProblem) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw source.problem(.invalidEncoding, at: start, "string literal decodes to invalid UTF-8")
        }
        if dialect == .postgres && text.unicodeScalars.contains("\0") {
            throw source.problem(.nulByte, at: start, "string literal decodes to a NUL character")
        }
        return text
    }

    /// A MySQL `'...'` or `"..."` body: a doubled quote is a quote; backslash escapes apply unless the session
    /// runs with NO_BACKSLASH_ESCAPES.
    private mutating func readMySQLQuoted(quote: Unicode.Scalar, start: Int) throws(SQLAnalysisProblem) -> String {
        var value = String.UnicodeScalarView()
        while true {
            let scalar = try take(orReport: .unterminatedString, start: start, "string literal is not closed")
            if scalar == quote {
                if source[position] == quote {
                    position += 1
                    value.append(quote)
                    continue
                }
                break
            }
            if scalar == "\\" {
                readingMatters = true
                if reading.backslashEscapesInStrings {
                    let escape = try take(orReport: .unterminatedString, start: start, "string literal is not closed")
                    switch escape {
                    case "0": value.append("\0")
                    case "b": value.append("\u{08}")
                    case "n": value.append("\n")
                    case "r": value.append("\r")
                    case "t": value.append("\t")
                    case "Z": value.append("\u{1A}")
                    case "%", "_": value.append(contentsOf: ["\\", escape])
                    default: value.append(escape)
                    }
                    continue
                }
            }
            value.append(scalar)
        }
        return String(value)
    }

    /// A `B'...'` or `X'...'` body, which has no escapes.
    private mutating func readUnescapedQuoted(start: Int) throws(SQLAnalysisProblem) -> String {
        if dialect == .postgres {
            return try readPostgresQuoted(escapes: false, flagsBackslashes: false, start: start)
        }
        var value = String.UnicodeScalarView()
        while true {
            let scalar = try take(orReport: .unterminatedString, start: start, "string literal is not closed")
            if scalar == "'" {
                return String(value)
            }
            value.append(scalar)
        }
    }

    /// A `"..."` or backtick identifier body; a doubled delimiter stands for itself, and an empty name is invalid.
    mutating func readQuotedIdentifier(quote: Unicode.Scalar, start: Int) throws(SQLAnalysisProblem) -> String {
        var name = String.UnicodeScalarView()
        while true {
            let scalar = try take(
                orReport: .unterminatedQuotedIdentifier, start: start, "quoted identifier is not closed")
            if scalar == quote {
                if source[position] == quote {
                    position += 1
                    name.append(quote)
                    continue
                }
                break
            }
            name.append(scalar)
        }
        if name.isEmpty {
            throw source.problem(.emptyIdentifier, at: start, "zero-length quoted identifier")
        }
        return String(name)
    }

    // MARK: Unicode escapes

    /// `U&'...'` and `U&"..."`, with an optional `UESCAPE 'c'` after them.
    private mutating func lexUnicodeLiteral() throws(SQLAnalysisProblem) {
        let start = position
        let isIdentifier = source[position + 2] == "\""
        // The server refuses U&'' strings when standard_conforming_strings is off, before running anything.
        if !isIdentifier && reading.backslashEscapesInStrings {
            throw source.problem(
                .invalidEscape, at: start,
                "U&'' strings are refused by the server when standard_conforming_strings is off")
        }
        position += 3
        let raw: String
        if isIdentifier {
            raw = try readQuotedIdentifier(quote: "\"", start: start)
        } else {
            raw = try readPostgresQuoted(escapes: false, flagsBackslashes: false, start: start)
        }
        let escape = try readUnicodeEscapeClause() ?? "\\"
        let value = try decodeUnicodeEscapes(raw, escape: escape, start: start)
        if isIdentifier {
            append(.quotedIdentifier, foldIdentifier(value, quoted: true), from: start)
        } else {
            append(.string(.unicode), value, from: start)
        }
    }

    /// The escape character of a `UESCAPE 'c'` clause if one follows; comments and whitespace may precede it.
    private mutating func readUnicodeEscapeClause() throws(SQLAnalysisProblem) -> Unicode.Scalar? {
        let keyword = Self.skipPostgresTrivia(source, from: position)
        let letters = source.scalars[keyword..<min(keyword + 7, source.count)]
        guard String(String.UnicodeScalarView(letters)).lowercased() == "uescape",
            !(source[keyword + 7].map(isIdentifierContinuation) ?? false)
        else {
            return nil
        }
        let quote = Self.skipPostgresTrivia(source, from: keyword + 7)
        guard source[quote] == "'", let escape = source[quote + 1], source[quote + 2] == "'",
            !escape.properties.isASCIIHexDigit, !"+'\" \t\n\r\u{0B}\u{0C}".unicodeScalars.contains(escape)
        else {
            throw source.problem(.invalidEscape, at: keyword, "UESCAPE must be followed by a one-character literal")
        }
        position = quote + 3
        return escape
    }

    /// Skips whitespace and PostgreSQL comments without reporting anything; stops before an unclosed comment.
    static func skipPostgresTrivia(_ source: SQLSource, from start: Int) -> Int {
        var cursor = start
        while let scalar = source[cursor] {
            if isWhitespace(scalar) {
                cursor += 1
            } else if scalar == "-" && source[cursor + 1] == "-" {
                cursor = endOfLineComment(source, from: cursor, endsAtCarriageReturn: true)
            } else if scalar == "/" && source[cursor + 1] == "*" {
                var depth = 1
                var inner = cursor + 2
                while depth > 0, let next = source[inner] {
                    if next == "*" && source[inner + 1] == "/" {
                        depth -= 1
                        inner += 2
                    } else if next == "/" && source[inner + 1] == "*" {
                        depth += 1
                        inner += 2
                    } else {
                        inner += 1
                    }
                }
                guard depth == 0 else {
                    return cursor
                }
                cursor = inner
            } else {
                break
            }
        }
        return cursor
    }

    /// Decodes `\XXXX`, `\+XXXXXX` and a doubled escape character in a `U&` literal.
    private func decodeUnicodeEscapes(
        _ raw: String, escape: Unicode.Scalar, start: Int
    ) throws(SQLAnalysisProblem) -> String {
        let scalars = Array(raw.unicodeScalars)
        let text = SQLSource(raw)
        var bytes: [UInt8] = []
        var pendingHighSurrogate: UInt32?
        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            guard scalar == escape else {
                if pendingHighSurrogate != nil {
                    throw source.problem(
                        .invalidEscape, at: start, "Unicode high surrogate is not followed by a low one")
                }
                bytes.append(contentsOf: UTF8.encode(scalar)!)
                index += 1
                continue
            }
            if text[index + 1] == escape && pendingHighSurrogate == nil {
                bytes.append(contentsOf: UTF8.encode(escape)!)
                index += 2
                continue
            }
            let width = text[index + 1] == "+" ? 6 : 4
            let digitsStart = index + (width == 6 ? 2 : 1)
            guard let value = Self.hexValue(in: text, at: digitsStart, width: width) else {
                throw source.problem(.invalidEscape, at: start, "invalid Unicode escape in U& literal")
            }
            try appendCodePoint(value, to: &bytes, pendingHighSurrogate: &pendingHighSurrogate, at: start)
            index = digitsStart + width
        }
        if pendingHighSurrogate != nil {
            throw source.problem(.invalidEscape, at: start, "Unicode high surrogate is not followed by a low one")
        }
        return try decode(bytes, start: start)
    }

    /// The value of exactly `width` hex digits at `index`, or nil.
    private static func hexValue(in text: SQLSource, at index: Int, width: Int) -> UInt32? {
        var value: UInt32 = 0
        for offset in 0..<width {
            guard let digit = text[index + offset], digit.properties.isASCIIHexDigit else {
                return nil
            }
            value = value * 16 + UInt32(Int(String(digit), radix: 16)!)
        }
        return value
    }

    // MARK: Dollar signs

    /// `$1` is a parameter; `$$` or `$tag$` opens a dollar quote that ends at the same delimiter (case-sensitive).
    mutating func lexDollar() throws(SQLAnalysisProblem) {
        let start = position
        if let next = source[position + 1], Self.isDigit(next) {
            position += 1
            while let digit = source[position], Self.isDigit(digit) {
                position += 1
            }
            append(.parameter, source.text(start..<position), from: start)
            return
        }
        var end = position + 1
        if let first = source[end], Self.isDollarTagCharacter(first) {
            end += 1
            while let scalar = source[end], Self.isDollarTagCharacter(scalar) || Self.isDigit(scalar) {
                end += 1
            }
        }
        guard source[end] == "$" else {
            throw source.problem(.unexpectedCharacter, at: start, "'$' starts neither a parameter nor a dollar quote")
        }
        let delimiter = source.scalars[start...end]
        let bodyStart = end + 1
        var cursor = bodyStart
        while cursor + delimiter.count <= source.count {
            let scalar = source.scalars[cursor]
            if scalar == "\0" {
                throw source.problem(.nulByte, at: cursor, "the text contains a NUL character")
            }
            if scalar == "$" && source.scalars[cursor..<cursor + delimiter.count].elementsEqual(delimiter) {
                position = cursor + delimiter.count
                append(.string(.dollar), source.text(bodyStart..<cursor), from: start)
                return
            }
            cursor += 1
        }
        throw source.problem(
            .unterminatedDollarQuote, at: start, "dollar-quoted string \(source.text(start..<end + 1)) is not closed")
    }

    /// Dollar-quote tags are identifier-like: ASCII letters, `_` and every non-ASCII character (PostgreSQL
    /// counts each byte of a multi-byte character as a letter here, whitespace included).
    private static func isDollarTagCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isASCIILetter(scalar) || scalar == "_" || scalar.value >= 0x80
    }
}
