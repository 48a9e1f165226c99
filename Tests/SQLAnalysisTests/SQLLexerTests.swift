import Testing

@testable import SQLAnalysis

@Suite("SQL lexer")
struct SQLLexerTests {
    private func lex(_ text: String, _ dialect: SQLDialect = .postgres) -> SQLLexer.Output {
        SQLLexer.tokenize(SQLSource(text), dialect: dialect, reading: .primary(for: dialect))
    }

    private func values(_ text: String, _ dialect: SQLDialect = .postgres) -> [String] {
        lex(text, dialect).tokens.map(\.value)
    }

    private func problem(_ text: String, _ dialect: SQLDialect = .postgres) -> SQLAnalysisProblem? {
        lex(text, dialect).problem
    }

    @Test("words fold to lower case, quoted identifiers stay exact with doubled quotes undone")
    func identifiers() {
        let tokens = lex("SeLeCt \"My \"\"T\"\"\" FROM x$1").tokens
        #expect(tokens.map(\.value) == ["select", "My \"T\"", "from", "x$1"])
        #expect(tokens.map(\.kind) == [.word, .quotedIdentifier, .word, .word])
    }

    @Test("PostgreSQL truncates names to 63 bytes")
    func truncation() {
        let long = String(repeating: "a", count: 70)
        #expect(values(long) == [String(repeating: "a", count: 63)])
        #expect(values("\"\(long)\"") == [String(repeating: "a", count: 63)])
    }

    @Test("line comments end at a line feed or carriage return, block comments nest")
    func comments() {
        #expect(values("a -- b\nc --d\re") == ["a", "c", "e"])
        #expect(values("a /* b /* c */ d */ e") == ["a", "e"])
        #expect(values("a/**/b") == ["a", "b"])
    }

    @Test("token boundaries around operators, casts, parameters and numbers")
    func boundaries() {
        #expect(values("x::int+1.5e3-$12") == ["x", "::", "int", "+", "1.5e3", "-", "$12"])
        #expect(values("a<>b>=c||d") == ["a", "<>", "b", ">=", "c", "||", "d"])
        #expect(values("1+--x\n2") == ["1", "+", "2"])
        #expect(values("*/**/x") == ["*", "x"])
        #expect(values(".5 t.* a[1:2]") == [".5", "t", ".", "*", "a", "[", "1", ":", "2", "]"])
        #expect(values("a=-1") == ["a", "=", "-", "1"])
    }

    @Test("standard strings double quotes and keep backslashes")
    func standardStrings() {
        let tokens = lex(#"'it''s' 'C:\x'"#).tokens
        #expect(tokens.map(\.value) == ["it's", #"C:\x"#])
        #expect(tokens.first?.kind == .string(.standard))
        #expect(lex(#"'C:\x'"#).readingMatters)
        #expect(!lex("'plain'").readingMatters)
    }

    @Test("strings separated by a line break continue; a block comment breaks the continuation")
    func continuation() {
        #expect(values("'a'\n'b'") == ["ab"])
        #expect(values("'a' -- c\n  'b'") == ["ab"])
        #expect(values("'a' 'b'").count == 2)
        #expect(values("'a' /* c */\n'b'").count == 2)
    }

    @Test("escape strings decode backslash escapes")
    func escapeStrings() {
        let tokens = lex(#"E'a\nb\t\'\\\101\x41\u00e9\U0001F600' e'x''y'"#).tokens
        #expect(tokens.map(\.value) == ["a\nb\t'\\AAé😀", "x'y"])
        #expect(tokens.first?.kind == .string(.escape))
        #expect(values(#"E'\uD83D\uDE00'"#) == ["😀"])
    }

    @Test("invalid escapes are problems at the literal")
    func invalidEscapes() {
        #expect(problem(#"select E'\u12'"#)?.kind == .invalidEscape)
        #expect(problem(#"select E'\000'"#)?.kind == .nulByte)
        #expect(problem(#"select E'\xff'"#)?.kind == .invalidEncoding)
        #expect(problem(#"select E'\uD83D'"#)?.kind == .invalidEscape)
        #expect(problem(#"select E'\uD83D'"#)?.offset == 7)
    }

    @Test("Unicode escape strings and identifiers, with UESCAPE")
    func unicodeEscapes() {
        #expect(values(#"U&'d\0061t\+000061'"#) == ["data"])
        #expect(values(#"u&'d!0061t' UESCAPE '!'"#) == ["dat"])
        #expect(values(#"U&"pg\005fread" /* c */ uescape '\'"#) == ["pg_read"])
        #expect(values(#"U&'a\\b'"#) == [#"a\b"#])
        #expect(lex(#"U&"x""#).tokens.first?.kind == .quotedIdentifier)
        #expect(problem(#"U&'\zz'"#)?.kind == .invalidEscape)
        #expect(problem(#"U&'x' UESCAPE 'a'"#)?.kind == .invalidEscape)
        #expect(values(#"U &'x'"#) == ["u", "&", "x"])
    }

    @Test("dollar quotes: empty and named tags, case-sensitive ends, $1 is a parameter")
    func dollarQuotes() {
        let tokens = lex("$$a;b$$ $Tag$ $tag$ $$ $Tag$ $1 a$$b").tokens
        #expect(tokens.map(\.value) == ["a;b", " $tag$ $$ ", "$1", "a$$b"])
        #expect(tokens.map(\.kind) == [.string(.dollar), .string(.dollar), .parameter, .word])
        #expect(problem("select $a$ x $A$")?.kind == .unterminatedDollarQuote)
        #expect(problem("select $a$ x $A$")?.offset == 7)
        #expect(problem("select $ 1")?.kind == .unexpectedCharacter)
    }

    @Test("bit, hex and national strings")
    func prefixedStrings() {
        let tokens = lex("B'101' x'1F' N'n'").tokens
        #expect(tokens.map(\.value) == ["101", "1F", "n"])
        #expect(tokens.map(\.kind) == [.string(.bit), .string(.hex), .string(.national)])
    }

    @Test("only ASCII whitespace separates tokens; Unicode spaces belong to identifiers as on the server")
    func whitespace() {
        #expect(values("a\t\u{0B}\u{0C}\r\nb") == ["a", "b"])
        #expect(values("a\u{00A0}b c") == ["a\u{00A0}b", "c"])
    }

    @Test("unterminated constructs report the byte offset where they start")
    func unterminated() {
        #expect(problem("select 'abc")?.kind == .unterminatedString)
        #expect(problem("select 'abc")?.offset == 7)
        #expect(problem("select \"abc")?.kind == .unterminatedQuotedIdentifier)
        #expect(problem("select /* a /* b */")?.kind == .unterminatedComment)
        #expect(problem("é select 'x")?.offset == 10)
        #expect(problem("select E'abc\\")?.kind == .unterminatedString)
    }

    @Test("NUL, stray characters and empty identifiers are problems")
    func invalidCharacters() {
        #expect(problem("select 1\u{0}")?.kind == .nulByte)
        #expect(problem("select 1\u{0}")?.offset == 8)
        #expect(problem("select '\u{0}'")?.kind == .nulByte)
        #expect(problem("select \\x")?.kind == .unexpectedCharacter)
        #expect(problem("select {x}")?.kind == .unexpectedCharacter)
        #expect(problem("select \"\"")?.kind == .emptyIdentifier)
    }

    @Test("MySQL: backticks, # and '-- ' comments, double-quoted strings, backslash escapes")
    func mysqlLexing() {
        #expect(values("`a``b` # c\nd -- e\nf --g", .mysql) == ["a`b", "d", "f", "--", "g"])
        let strings = lex(#"'a\'b' "c\"d" 'e''f' '\0\Z\%'"#, .mysql).tokens
        #expect(strings.map(\.value) == ["a'b", "c\"d", "e'f", "\0\u{1A}\\%"])
        #expect(values("@v @@session.x ? 1e3 0x1F 1abc", .mysql) == ["@v", "@@session.x", "?", "1e3", "0x1F", "1abc"])
    }

    @Test("MySQL executable comments are code; other comments are not")
    func mysqlExecutableComments() {
        #expect(values("/*!50000 DROP */ /* x */ /*+ hint */ a", .mysql) == ["drop", "a"])
        #expect(values("/*!DROP TABLE '*/' */", .mysql) == ["drop", "table", "*/"])
        #expect(problem("/*! drop", .mysql)?.kind == .unterminatedComment)
        #expect(values("/* a /* b */ c", .mysql) == ["c"])
    }
}
