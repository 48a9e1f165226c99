/// Replaces the literals in a statement's text with `?` before it is recorded, for resources with column rules.
///
/// The recording must never hold an original value, and on such a resource the broker cannot tell a literal the
/// agent guessed right (`where name = 'Zelda ...'`, `select '...'`) from any other: every string literal (all
/// styles), numeric literal and comment is replaced. A dollar-quoted body right after `DO` or `AS` is code (a DO
/// block, a routine body), so its literals are replaced the same way, recursively, and the code is kept for the
/// auditor; anywhere else a dollar-quoted body is a string and is replaced whole. Identifiers and
/// keywords are kept: they are what the auditor reads to know what ran.
///
/// Reading follows PostgreSQL's lexer: `''` inside strings, backslash escapes in `E'...'`, `$tag$` quotes, nested
/// block comments, `"..."` identifiers. Where it cannot be sure (an unterminated literal), the rest is replaced.
enum PostgresLiteralRedactor {
    static func redact(_ sql: String) -> String {
        let scalars = Array(sql.unicodeScalars)
        var output = String.UnicodeScalarView()
        var index = 0
        func previousIsWordCharacter() -> Bool {
            index > 0 && isWordCharacter(scalars[index - 1])
        }
        while index < scalars.count {
            let scalar = scalars[index]
            let next = index + 1 < scalars.count ? scalars[index + 1] : nil
            switch scalar {
            case "-" where next == "-":
                while index < scalars.count && scalars[index] != "\n" { index += 1 }
                output.append(" ")
            case "/" where next == "*":
                index = endOfBlockComment(scalars, from: index)
                output.append(" ")
            case "'":
                let escapes = index > 0 && (scalars[index - 1] == "E" || scalars[index - 1] == "e")
                index = endOfString(scalars, from: index, backslashEscapes: escapes)
                output.append("?")
            case "\"":
                let end = endOfQuoted(scalars, from: index, quote: "\"")
                output.append(contentsOf: scalars[index..<end])
                index = end
            case "$" where !previousIsWordCharacter():
                guard let tagEnd = dollarTagEnd(scalars, from: index) else {
                    output.append(scalar)
                    index += 1
                    continue
                }
                let tag = Array(scalars[index..<tagEnd])
                let bodyEnd = firstIndex(of: tag, in: scalars, from: tagEnd) ?? scalars.count
                index = min(scalars.count, bodyEnd + tag.count)
                guard Self.codeFollows(lastWord(in: output)) else {
                    output.append("?")
                    continue
                }
                let body = String(String.UnicodeScalarView(scalars[tagEnd..<bodyEnd]))
                output.append(contentsOf: tag)
                output.append(contentsOf: redact(body).unicodeScalars)
                if bodyEnd < scalars.count { output.append(contentsOf: tag) }
            case _ where isDigit(scalar) && !previousIsWordCharacter():
                index = endOfNumber(scalars, from: index)
                output.append("?")
            case "." where next.map(isDigit) == true && !previousIsWordCharacter():
                index = endOfNumber(scalars, from: index)
                output.append("?")
            default:
                output.append(scalar)
                index += 1
            }
        }
        return String(output)
    }

    /// A dollar-quoted body is code after `DO` and after `AS` (a routine's body); anywhere else it is a string.
    private static func codeFollows(_ word: String) -> Bool {
        word == "do" || word == "as"
    }

    /// The word just before the current position, lower-cased, skipping whitespace.
    private static func lastWord(in output: String.UnicodeScalarView) -> String {
        var word = String.UnicodeScalarView()
        for scalar in output.reversed() {
            if word.isEmpty && (scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r") { continue }
            guard isWordCharacter(scalar) else { break }
            word.append(scalar)
        }
        return String(String.UnicodeScalarView(word.reversed())).lowercased()
    }

    private static func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }

    private static func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        isDigit(scalar) || ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || scalar == "_"
            || scalar == "$" || scalar.value > 0x7F
    }

    /// Past the closing quote, reading `''` (and `\x` when escapes are on) as part of the string.
    private static func endOfString(_ scalars: [Unicode.Scalar], from start: Int, backslashEscapes: Bool) -> Int {
        var index = start + 1
        while index < scalars.count {
            if backslashEscapes && scalars[index] == "\\" {
                index += 2
                continue
            }
            if scalars[index] == "'" {
                if index + 1 < scalars.count && scalars[index + 1] == "'" {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return scalars.count
    }

    private static func endOfQuoted(_ scalars: [Unicode.Scalar], from start: Int, quote: Unicode.Scalar) -> Int {
        var index = start + 1
        while index < scalars.count {
            if scalars[index] == quote {
                if index + 1 < scalars.count && scalars[index + 1] == quote {
                    index += 2
                    continue
                }
                return index + 1
            }
            index += 1
        }
        return scalars.count
    }

    private static func endOfBlockComment(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var depth = 0
        var index = start
        while index + 1 < scalars.count {
            if scalars[index] == "/" && scalars[index + 1] == "*" {
                depth += 1
                index += 2
            } else if scalars[index] == "*" && scalars[index + 1] == "/" {
                depth -= 1
                index += 2
                if depth == 0 { return index }
            } else {
                index += 1
            }
        }
        return scalars.count
    }

    /// The end of `$tag$` starting at `start`, or nil when `$` starts a parameter (`$1`) or nothing.
    private static func dollarTagEnd(_ scalars: [Unicode.Scalar], from start: Int) -> Int? {
        var index = start + 1
        if index < scalars.count && isDigit(scalars[index]) { return nil }
        while index < scalars.count && scalars[index] != "$" {
            guard isWordCharacter(scalars[index]) else { return nil }
            index += 1
        }
        return index < scalars.count ? index + 1 : nil
    }

    private static func firstIndex(of needle: [Unicode.Scalar], in scalars: [Unicode.Scalar], from start: Int) -> Int? {
        guard needle.count <= scalars.count else { return nil }
        var index = start
        while index + needle.count <= scalars.count {
            if scalars[index] == needle[0] && Array(scalars[index..<index + needle.count]) == needle { return index }
            index += 1
        }
        return nil
    }

    /// Digits, a fraction, an exponent, hex/octal/binary prefixes and `_` separators.
    private static func endOfNumber(_ scalars: [Unicode.Scalar], from start: Int) -> Int {
        var index = start
        while index < scalars.count {
            let scalar = scalars[index]
            if isWordCharacter(scalar) && scalar != "$" || scalar == "." {
                index += 1
            } else if (scalar == "+" || scalar == "-") && index > start
                && (scalars[index - 1] == "e" || scalars[index - 1] == "E")
            {
                index += 1
            } else {
                break
            }
        }
        return index
    }
}
