// MARK: - MySQL comments and character set introducers

extension SQLLexer {
    /// Whether `--` at `position` starts a comment. A space or control character after the dashes does; a non-ASCII
    /// character is a problem, because whether its first byte counts as a control character depends on the client
    /// character set's tables, which the broker does not replicate.
    mutating func startsMySQLDashComment() throws(SQLAnalysisProblem) -> Bool {
        if let after = source[position + 2], !after.isASCII {
            throw source.problem(
                .ambiguousComment, at: position,
                "'--' followed by a non-ASCII character: whether it starts a comment depends on the character set")
        }
        return Self.endsMySQLDashes(source[position + 2])
    }

    /// A `/*` comment on MySQL: plain, an optimizer hint `/*+ ... */`, or executable.
    ///
    /// `/*! ... */` without a version always runs on both servers. A conditional comment, `/*!NNNNN ... */` with a
    /// five or six digit version or MariaDB's `/*M! ... */`, runs or is skipped depending on the server's flavour
    /// and version (MariaDB skips `/*!50700` to `/*!99999`; MySQL skips every `/*M!`), so it is read both ways:
    /// as code under `Reading.conditionalCommentsRun`, as a comment otherwise. Two conditional comments with
    /// different openings could be decided differently by one server, a mix neither reading shows, so a text with
    /// two is a problem.
    mutating func enterMySQLComment() throws(SQLAnalysisProblem) {
        let start = position
        guard let end = Self.firstCommentEnd(source, from: start + 2) else {
            throw source.problem(.unterminatedComment, at: start, "block comment /* is not closed")
        }
        let mariaDB = source[start + 2] == "M" && source[start + 3] == "!"
        guard source[start + 2] == "!" || mariaDB else {
            if source[start + 2] == "+",
                source.scalars[start + 3..<end].contains(where: { $0 == "'" || $0 == "\"" || $0 == "`" })
            {
                throw source.problem(
                    .ambiguousComment, at: start,
                    "a quote inside an optimizer hint /*+ */: MySQL may read a */ inside it as quoted")
            }
            try skipBlockComment(nesting: false)
            return
        }
        if executableComment != nil {
            throw source.problem(.ambiguousComment, at: start, "an executable comment inside another one")
        }
        var cursor = start + (mariaDB ? 4 : 3)
        var digits = 0
        while digits < 6, let scalar = source[cursor + digits], Self.isDigit(scalar) {
            digits += 1
        }
        if digits >= 5 {
            cursor += digits
        }
        if mariaDB || digits >= 5 {
            readingMatters = true
            let marker = source.text(start..<cursor)
            if let first = conditionalMarker, first != marker {
                throw source.problem(
                    .ambiguousComment, at: start,
                    "versioned comments \(first) and \(marker) in one text: the server may run one and skip the "
                        + "other")
            }
            conditionalMarker = marker
            guard reading.conditionalCommentsRun else {
                position = end + 2
                return
            }
        }
        executableComment = (start, end)
        position = cursor
    }

    /// The index of the first `*/` from `index`: where a server that skips a comment ends it.
    static func firstCommentEnd(_ source: SQLSource, from index: Int) -> Int? {
        var cursor = index
        while let scalar = source[cursor] {
            if scalar == "*" && source[cursor + 1] == "/" {
                return cursor
            }
            cursor += 1
        }
        return nil
    }

    /// Inside an executable comment, nothing may run past the comment's first `*/`: a server that skips the
    /// comment ends it there, so a string, quoted name or comment that spans it would hide text from one reading.
    mutating func checkExecutableCommentBoundary() throws(SQLAnalysisProblem) {
        guard let comment = executableComment, position > comment.end else {
            return
        }
        throw source.problem(
            .ambiguousComment, at: comment.start,
            "a literal or comment inside an executable comment runs past its first */, where a server that skips "
                + "the comment ends it")
    }

    /// A string after a character set introducer (`_gbk'...'`) that the broker cannot lex safely is refused when
    /// it holds non-ASCII characters: in those sets a multibyte character can end in a `\` or a quote.
    func checkIntroducer(before value: String, at start: Int) throws(SQLAnalysisProblem) {
        guard dialect == .mysql, let previous = tokens.last, previous.kind == .word, previous.value.hasPrefix("_"),
            MySQLCharacterSet(named: String(previous.value.dropFirst())) == nil,
            !value.unicodeScalars.allSatisfy(\.isASCII)
        else {
            return
        }
        throw source.problem(
            .unsafeCharacterSet, at: previous.range.lowerBound,
            "a non-ASCII string after the introducer \(previous.value): the broker cannot read that character set "
                + "as the server does")
    }
}
