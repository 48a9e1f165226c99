import Testing

@testable import Broker

/// The parser a command judge uses on SSH `exec` requests: it must see the commands the target's shell will run,
/// including through the usual evasions, and say where it cannot.
@Suite("SSH: shell command line parser")
struct ShellCommandLineTests {
    private func parse(_ text: String) throws -> [SimpleCommand] {
        try ShellCommandLine.parse(text)
    }

    private func argv(_ text: String) throws -> [[String]] {
        try parse(text).map(\.argv)
    }

    // MARK: Words and quoting

    @Test("plain words split on blanks")
    func plainWords() throws {
        #expect(try argv("uptime") == [["uptime"]])
        #expect(try argv("  ls   -la\t/tmp  ") == [["ls", "-la", "/tmp"]])
    }

    @Test("single and double quotes are removed and keep blanks")
    func quotes() throws {
        #expect(try argv("echo 'a b' \"c d\" e'f'\"g\"") == [["echo", "a b", "c d", "efg"]])
    }

    @Test("empty quotes inside a name do not hide it: r''m is rm")
    func emptyQuotesInName() throws {
        let commands = try parse("r''m -rf /")
        #expect(commands.map(\.argv) == [["rm", "-rf", "/"]])
        #expect(commands[0].program == "rm")
        #expect(!commands[0].isOpaque)
    }

    @Test("a backslash before the name does not hide it: \\rm is rm")
    func escapedName() throws {
        #expect(try parse("\\rm -rf /").first?.program == "rm")
        #expect(try argv("r\\m x") == [["rm", "x"]])
    }

    @Test("a path to the program still names it: /bin/rm is rm")
    func pathName() throws {
        let command = try #require(try parse("/bin/rm -rf /").first)
        #expect(command.argv[0] == "/bin/rm")
        #expect(command.program == "rm")
    }

    @Test("double quotes keep backslashes except before $ ` \" and \\")
    func doubleQuoteEscapes() throws {
        #expect(try argv(#"printf "a\nb \$HOME \" \\""#) == [["printf", #"a\nb $HOME " \"#]])
    }

    @Test("ANSI-C quoting is decoded: $'\\x72m' is rm")
    func ansiCQuoting() throws {
        #expect(try parse(#"$'\x72m' -rf /"#).first?.program == "rm")
        #expect(try argv(#"echo $'a\tb\'c' $'\101\u0042'"#) == [["echo", "a\tb'c", "AB"]])
    }

    @Test("a backslash-newline joins lines; a comment ends at the line's end")
    func continuationAndComments() throws {
        #expect(try argv("ls \\\n -la # list it\npwd") == [["ls", "-la"], ["pwd"]])
    }

    // MARK: Separators

    @Test("commands split on ; && || | & and newlines, each remembering what joins it to the next")
    func separators() throws {
        let commands = try parse("a; b && c || d | e & f\ng |& h")
        #expect(commands.map(\.argv) == [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"], ["h"]])
        #expect(commands.map(\.next) == [.semicolon, .and, .or, .pipe, .background, .newline, .pipeWithErrors, nil])
    }

    @Test("operators need no blanks around them")
    func operatorsWithoutBlanks() throws {
        #expect(try argv("true&&rm x;ls|wc") == [["true"], ["rm", "x"], ["ls"], ["wc"]])
    }

    @Test("quoted operators are just text")
    func quotedOperators() throws {
        #expect(try argv("echo 'a; rm -rf /' \"b && c\" d\\;e") == [["echo", "a; rm -rf /", "b && c", "d;e"]])
    }

    @Test("a line may break after && and |")
    func lineBreakAfterOperator() throws {
        #expect(try argv("make &&\n make install |\n tee log") == [["make"], ["make", "install"], ["tee", "log"]])
    }

    @Test("a trailing ; or & is allowed")
    func trailingSeparator() throws {
        #expect(try parse("sleep 1 &").map(\.next) == [.background])
        #expect(try parse("ls;").map(\.next) == [nil])
    }

    // MARK: Opaque constructs

    @Test("command substitution is opaque: $(echo rm)")
    func commandSubstitution() throws {
        let command = try #require(try parse("$(echo rm) -rf /").first)
        #expect(command.opaque.contains(.commandSubstitution))
        #expect(command.argv[0] == "$(echo rm)")
    }

    @Test("backticks are command substitution too, also inside double quotes")
    func backticks() throws {
        #expect(try parse("`echo rm` -rf /").first?.opaque.contains(.commandSubstitution) == true)
        #expect(try parse("echo \"today: `date`\"").first?.opaque.contains(.commandSubstitution) == true)
    }

    @Test("nested substitutions with quotes and parentheses stay one word")
    func nestedSubstitution() throws {
        let commands = try parse(#"echo "$(cat "$(ls ')')")" done"#)
        #expect(commands.count == 1)
        #expect(commands[0].argv.count == 3)
        #expect(commands[0].opaque.contains(.commandSubstitution))
    }

    @Test("parameter expansion is opaque: rm${IFS}-rf")
    func parameterExpansion() throws {
        let command = try #require(try parse("rm${IFS}-rf /").first)
        #expect(command.opaque.contains(.parameterExpansion))
        #expect(command.argv == ["rm${IFS}-rf", "/"])
        #expect(try parse("cat $HOME/x \"$1\"").first?.opaque == [.parameterExpansion])
    }

    @Test("single quotes keep $ and backticks literal")
    func singleQuotedDollar() throws {
        let command = try #require(try parse("echo '$(rm -rf /)' '$HOME' '`x`'").first)
        #expect(!command.isOpaque)
        #expect(command.argv == ["echo", "$(rm -rf /)", "$HOME", "`x`"])
    }

    @Test("a lone or trailing $ is literal")
    func loneDollar() throws {
        #expect(try parse("echo $ a$").first?.isOpaque == false)
    }

    @Test("arithmetic expansion is marked")
    func arithmetic() throws {
        #expect(try parse("echo $((1 + 2))").first?.opaque == [.arithmeticExpansion])
    }

    @Test("process substitution is opaque")
    func processSubstitution() throws {
        let command = try #require(try parse("diff <(ls a) >(tee b)").first)
        #expect(command.opaque.contains(.processSubstitution))
        #expect(command.argv.count == 3)
    }

    @Test("brace expansion is opaque: {rm,-rf,/}")
    func braceExpansion() throws {
        #expect(try parse("{rm,-rf,/}").first?.opaque.contains(.braceExpansion) == true)
        #expect(try parse("echo file{1..3}").first?.opaque.contains(.braceExpansion) == true)
        #expect(try parse("echo '{a,b}'").first?.isOpaque == false)
    }

    @Test("a glob in the command's name is opaque, in its arguments it is not")
    func globs() throws {
        #expect(try parse("/bin/r? -rf /").first?.opaque == [.globbedName])
        #expect(try parse("ls *.txt").first?.isOpaque == false)
    }

    @Test("eval is opaque and its literal arguments are parsed one level deeper")
    func eval() throws {
        let commands = try parse("eval 'rm -rf /'")
        #expect(commands.map(\.argv) == [["eval", "rm -rf /"], ["rm", "-rf", "/"]])
        #expect(commands[0].opaque.contains(.eval))
        #expect(commands[1].depth == 1)
    }

    @Test("sh -c and bash -c scripts are parsed recursively, also with combined flags")
    func shellScripts() throws {
        let commands = try parse("sh -c 'cd /tmp && rm -rf x'")
        #expect(commands.map(\.argv) == [["sh", "-c", "cd /tmp && rm -rf x"], ["cd", "/tmp"], ["rm", "-rf", "x"]])
        #expect(commands.map(\.depth) == [0, 1, 1])
        #expect(try parse("/bin/bash -ec \"ls; rm y\"").map(\.program) == ["bash", "ls", "rm"])
        #expect(try parse("bash -e -c 'whoami'").map(\.program) == ["bash", "whoami"])
    }

    @Test("scripts nested in scripts are followed to the bottom")
    func nestedShells() throws {
        let commands = try parse(#"sh -c "bash -c 'rm -rf /'""#)
        #expect(commands.map(\.program) == ["sh", "bash", "rm"])
        #expect(commands.last?.depth == 2)
    }

    @Test("a shell whose script is computed at run time is opaque")
    func dynamicScript() throws {
        #expect(try parse("sh -c \"$CMD\"").first?.opaque.contains(.dynamicScript) == true)
    }

    @Test("bash running a script file is not mistaken for -c")
    func shellWithFile() throws {
        #expect(try parse("bash deploy.sh --check").count == 1)
    }

    // MARK: Redirections, assignments, compound commands

    @Test("redirections are listed with their descriptor and target, not taken as arguments")
    func redirections() throws {
        let command = try #require(try parse("cmd a >out.txt 2>&1 < in &>>all 3> 'x y'").first)
        #expect(command.argv == ["cmd", "a"])
        #expect(
            command.redirections == [
                .init(descriptor: nil, symbol: ">", target: "out.txt"),
                .init(descriptor: 2, symbol: ">&", target: "1"),
                .init(descriptor: nil, symbol: "<", target: "in"),
                .init(descriptor: nil, symbol: "&>>", target: "all"),
                .init(descriptor: 3, symbol: ">", target: "x y"),
            ]
        )
    }

    @Test("here-document bodies are not commands; an expanding body is opaque")
    func hereDocuments() throws {
        let quiet = try parse("cat <<'EOF' > f\nrm -rf /\n$(x)\nEOF\nls")
        #expect(quiet.map(\.argv) == [["cat"], ["ls"]])
        #expect(!quiet[0].isOpaque)
        let loud = try parse("cat <<EOF\n$(rm -rf /)\nEOF\n")
        #expect(loud.map(\.argv) == [["cat"]])
        #expect(loud[0].opaque == [.expandedHereDocument])
        #expect(try parse("cat <<-END\n\trm x\n\tEND\necho ok").map(\.argv) == [["cat"], ["echo", "ok"]])
    }

    @Test("assignments before the name set its environment; after it they are arguments")
    func assignments() throws {
        let command = try #require(try parse("LANG=C A[1]=x PATH+=:/opt rm x=y").first)
        #expect(command.assignments == ["LANG=C", "A[1]=x", "PATH+=:/opt"])
        #expect(command.argv == ["rm", "x=y"])
        #expect(try parse("'A=b' c").first?.argv == ["A=b", "c"])
    }

    @Test("subshells and brace groups are looked into")
    func subshells() throws {
        let commands = try parse("(cd /tmp; rm a) && { rm b; }")
        #expect(commands.map(\.argv) == [["cd", "/tmp"], ["rm", "a"], ["rm", "b"]])
        #expect(commands[1].next == .and)
    }

    @Test("if and while bodies are looked into")
    func conditionals() throws {
        let commands = try parse("if test -f x; then rm x; else touch x; fi; while true; do date; done")
        #expect(commands.map(\.program) == ["test", "rm", "touch", "true", "date"])
    }

    @Test("for loops and function definitions are opaque")
    func compound() throws {
        #expect(try parse("for f in *; do rm $f; done").first?.opaque.contains(.compound) == true)
        #expect(try parse("f() { rm -rf /; }; f").first?.opaque.contains(.compound) == true)
    }

    // MARK: Refusals

    @Test(
        "what bash rejects, or this parser cannot follow, is an error",
        arguments: [
            "echo 'unterminated", "echo \"unterminated", "echo $(ls", "echo `ls", "&& ls", "ls &&", "ls |",
            "(ls", "ls)", "cat <<EOF", "echo >", "ls || || pwd",
        ]
    )
    func syntaxErrors(_ text: String) {
        #expect(throws: ShellSyntaxError.self) { try ShellCommandLine.parse(text) }
    }

    @Test("an empty command line has no commands")
    func empty() throws {
        #expect(try parse("").isEmpty)
        #expect(try parse("  # only a comment\n").isEmpty)
    }
}
