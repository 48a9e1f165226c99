/// Programs that run another command: what they run, so the judge sees through `sudo -u x env A=1 nice -n 5 rm -r`
/// to `rm -r`. Each wrapper's options are read with its own grammar; a wrapper with an option this table does not
/// know is not guessed at (the option might take the next word as its value, moving where the command begins), it
/// is unreadable.
enum CommandWrappers {
    /// What a wrapper leads to.
    enum Next: Equatable {
        /// A command of these words (indices into the original arguments); `more` when the wrapper adds arguments
        /// the text does not show (`xargs` reads them from its input).
        /// `placeholder` is text the wrapper replaces with input at run time (`xargs -I{}`).
        case command(ArraySlice<String>, more: Bool, placeholder: String? = nil)
        /// Text the wrapper hands to a shell (`su -c`, `watch`, `flock -c`).
        case script(String)
        /// It runs, but the judge cannot say what.
        case unreadable(ShellOpacity)
        /// It runs nothing here (`env` printing the environment, `command -v`, `sudo -l`).
        case nothing
    }

    /// The step through `program` invoked with `arguments`, or nil when it is not a wrapper.
    static func step(_ program: String, _ arguments: ArraySlice<String>) -> (classes: Set<CommandClass>, next: Next)? {
        switch program {
        case "env": return ([], env(arguments))
        case "command":
            let read = OptionGrammar(flags: ["p", "v", "V"], stopsAtOperand: true).read(arguments)
            return ([], read.has("v", "V") ? .nothing : after(read, arguments))
        case "exec":
            return ([], after(OptionGrammar(valued: ["a"], flags: ["c", "l"], stopsAtOperand: true), arguments))
        case "builtin", "nohup", "setsid", "unbuffer", "catchsegv", "fakeroot", "proxychains", "proxychains4",
            "torsocks":
            let grammar = OptionGrammar(flags: ["c", "f", "w", "ctty", "fork", "wait", "q"], stopsAtOperand: true)
            return ([], after(grammar, arguments))
        case "nice":
            let grammar = OptionGrammar(valued: ["n", "adjustment"], stopsAtOperand: true, numericOptions: true)
            return ([], after(grammar, arguments))
        case "time":
            let grammar = OptionGrammar(
                valued: ["f", "format", "o", "output"], flags: ["a", "append", "p", "portability", "q", "quiet", "v"],
                stopsAtOperand: true)
            return ([], after(grammar, arguments))
        case "timeout":
            let grammar = OptionGrammar(
                valued: ["s", "signal", "k", "kill-after"], flags: ["v", "verbose", "preserve-status", "foreground"],
                stopsAtOperand: true)
            return ([], after(grammar, arguments, skipping: 1))
        case "stdbuf":
            let grammar = OptionGrammar(valued: ["i", "o", "e", "input", "output", "error"], stopsAtOperand: true)
            return ([], after(grammar, arguments))
        case "ionice":
            let grammar = OptionGrammar(
                valued: ["c", "class", "n", "classdata", "p", "pid", "P", "pgid", "u", "uid"],
                flags: ["t", "ignore"], stopsAtOperand: true)
            let read = grammar.read(arguments)
            return ([], read.has("p", "P", "u", "pid", "pgid", "uid") ? .nothing : after(read, arguments))
        case "taskset":
            let grammar = OptionGrammar(flags: ["a", "c", "all-tasks", "cpu-list"], stopsAtOperand: true)
            let read = grammar.read(arguments)
            return ([], read.has("p", "pid") ? .nothing : after(read, arguments, skipping: 1))
        case "chrt":
            let grammar = OptionGrammar(
                valued: ["T", "P", "D"], flags: ["a", "b", "d", "f", "i", "o", "r", "R", "v", "all-tasks"],
                stopsAtOperand: true)
            return ([], after(grammar, arguments, skipping: 1))
        case "chroot":
            let grammar = OptionGrammar(valued: ["userspec", "groups"], flags: ["skip-chdir"], stopsAtOperand: true)
            let read = grammar.read(arguments)
            // Without a command, chroot starts `$SHELL -i`, which reads its commands from the input.
            guard read.problems.isEmpty else { return ([], .unreadable(.unknownOptions)) }
            return (
                [],
                read.firstOperand + 1 < arguments.endIndex
                    ? after(read, arguments, skipping: 1) : .unreadable(.inputScript)
            )
        case "busybox", "toybox":
            return ([], arguments.isEmpty ? .nothing : .command(arguments, more: false))
        case "xargs": return ([], xargs(arguments))
        case "sudo": return ([.privilegeEscalation], sudo(arguments))
        case "doas":
            let read = OptionGrammar(valued: ["u", "C"], flags: ["n", "s", "L"], stopsAtOperand: true).read(arguments)
            if read.has("s") || read.firstOperand == arguments.endIndex {
                return ([.privilegeEscalation], .unreadable(.inputScript))
            }
            return ([.privilegeEscalation], after(read, arguments))
        case "pkexec":
            let grammar = OptionGrammar(
                valued: ["user", "u"], flags: ["disable-internal-agent", "keep-cwd"], stopsAtOperand: true)
            return ([.privilegeEscalation], after(grammar, arguments))
        case "su": return ([.privilegeEscalation], su(arguments))
        case "runuser":
            // `runuser -u USER [--] COMMAND` runs the command itself; the su-like forms take -c or read the input.
            let read = OptionGrammar(valued: ["u", "user"], stopsAtOperand: true).read(arguments)
            if read.has("u", "user"), read.problems.isEmpty { return ([.privilegeEscalation], after(read, arguments)) }
            return ([.privilegeEscalation], su(arguments))
        case "flock":
            let grammar = OptionGrammar(
                valued: ["w", "timeout", "E", "conflict-exit-code", "c", "command"],
                flags: ["s", "shared", "x", "e", "exclusive", "u", "unlock", "n", "nb", "nonblock", "o", "close", "F"],
                stopsAtOperand: true)
            let read = grammar.read(arguments)
            // `flock [options] FILE -c COMMAND`: the script may come after the lock file.
            let afterFile = arguments[min(read.firstOperand + 1, arguments.endIndex)...]
            if let script = read.values["c"] ?? read.values["command"] { return ([], .script(script)) }
            if let flag = afterFile.first, flag == "-c" || flag == "--command" {
                guard let script = afterFile.dropFirst().first else { return ([], .nothing) }
                return ([], .script(script))
            }
            return ([], after(read, arguments, skipping: 1))
        case "watch":
            let grammar = OptionGrammar(
                valued: ["n", "interval", "d", "differences", "q", "equexit"],
                flags: ["b", "beep", "e", "errexit", "g", "chgexit", "t", "no-title", "x", "exec", "c", "color", "p"],
                stopsAtOperand: true)
            let read = grammar.read(arguments)
            guard read.problems.isEmpty else { return ([], .unreadable(.unknownOptions)) }
            let rest = arguments[read.firstOperand...]
            // Without -x, watch hands its words, joined by spaces, to `sh -c`.
            return ([], read.has("x", "exec") ? .command(rest, more: false) : .script(rest.joined(separator: " ")))
        case "script":
            let read = OptionGrammar(
                valued: ["c", "command", "t", "timing", "E", "echo"], flags: ["q", "a", "e", "f"]
            )
            .read(arguments)
            if let script = read.values["c"] ?? read.values["command"] { return ([], .script(script)) }
            return ([], .unreadable(.inputScript))
        default:
            return nil
        }
    }

    // MARK: Wrappers with their own rules

    /// `env [-i] [-u NAME] [-C DIR] [-S STRING] [NAME=value]... [COMMAND [ARG]...]`.
    private static func env(_ arguments: ArraySlice<String>) -> Next {
        let grammar = OptionGrammar(
            valued: ["u", "unset", "C", "chdir", "S", "split-string"],
            flags: [
                "i", "0", "v", "ignore-environment", "null", "debug", "help", "version", "default-signal",
                "ignore-signal", "block-signal", "list-signal-handling",
            ],
            stopsAtOperand: true)
        let read = grammar.read(arguments)
        guard read.problems.isEmpty else { return .unreadable(.unknownOptions) }
        var start = read.firstOperand
        while start < arguments.endIndex, isAssignment(arguments[start]) { start += 1 }
        let rest = arguments[start...]
        guard let split = read.values["S"] ?? read.values["split-string"] else {
            return rest.isEmpty ? .nothing : .command(rest, more: false)
        }
        // -S splits its string into words (with quotes and escapes of its own, and `${NAME}`): when it reads as
        // plain words, they lead the command.
        guard !split.contains("$"), !split.contains("\\"), let words = try? ShellLexer.words(of: split) else {
            return .unreadable(.splitString)
        }
        var lead = words[...]
        while let first = lead.first, isAssignment(first) { lead = lead.dropFirst() }
        let command = Array(lead) + Array(rest)
        return command.isEmpty ? .nothing : .command(command[...], more: false)
    }

    /// `xargs [OPTIONS] [COMMAND [INITIAL-ARGS]]`: the command gets more arguments from the input; with `-I`, the
    /// input replaces a string, which in the command's name makes the program unknown.
    private static func xargs(_ arguments: ArraySlice<String>) -> Next {
        let grammar = OptionGrammar(
            valued: [
                "a", "arg-file", "d", "delimiter", "E", "I", "L", "n", "max-args", "P", "max-procs", "s",
                "max-chars", "process-slot-var",
            ],
            flags: [
                "0", "null", "r", "no-run-if-empty", "t", "verbose", "p", "interactive", "x", "exit", "o",
                "open-tty", "show-limits", "e", "eof", "i", "replace", "l", "max-lines", "help", "version",
            ],
            stopsAtOperand: true)
        let read = grammar.read(arguments)
        guard read.problems.isEmpty else { return .unreadable(.unknownOptions) }
        let rest = arguments[read.firstOperand...]
        guard let name = rest.first else { return .nothing }
        let replaced = read.values["I"] ?? (read.has("i", "replace") ? "{}" : nil)
        if let replaced, name.contains(replaced) { return .unreadable(.computedName) }
        return .command(rest, more: true, placeholder: replaced)
    }

    /// `sudo [OPTIONS] [NAME=value]... COMMAND`: `-s`/`-i` without a command start a shell on the input; `-e`
    /// edits files; `-l`, `-v`, `-k`, `-K`, `-V` run nothing.
    private static func sudo(_ arguments: ArraySlice<String>) -> Next {
        let grammar = OptionGrammar(
            valued: [
                "u", "user", "g", "group", "C", "close-from", "D", "chdir", "h", "host", "p", "prompt", "r", "role",
                "t", "type", "T", "command-timeout", "U", "other-user", "R", "chroot",
            ],
            flags: [
                "A", "askpass", "b", "background", "B", "bell", "E", "preserve-env", "e", "edit", "H", "set-home",
                "i", "login", "K", "remove-timestamp", "k", "reset-timestamp", "l", "list", "n", "non-interactive",
                "N", "no-update", "P", "preserve-groups", "S", "stdin", "s", "shell", "V", "version", "v",
                "validate", "help",
            ],
            stopsAtOperand: true)
        let read = grammar.read(arguments)
        guard read.problems.isEmpty else { return .unreadable(.unknownOptions) }
        var start = read.firstOperand
        while start < arguments.endIndex, isAssignment(arguments[start]) { start += 1 }
        let rest = arguments[start...]
        if read.has("e", "edit") { return .nothing }
        if rest.isEmpty {
            return read.has("s", "shell", "i", "login") ? .unreadable(.inputScript) : .nothing
        }
        return .command(rest, more: false)
    }

    /// `su [OPTIONS] [-] [USER [ARGS]]`: `-c` hands a script to the user's shell; otherwise that shell reads its
    /// commands from the input.
    private static func su(_ arguments: ArraySlice<String>) -> Next {
        let grammar = OptionGrammar(
            valued: [
                "c", "command", "C", "session-command", "s", "shell", "g", "group", "G", "supp-group", "w",
                "whitelist-environment", "u", "user",
            ],
            flags: ["l", "login", "m", "p", "preserve-environment", "P", "pty", "f", "fast", "h", "help", "V"])
        let read = grammar.read(arguments)
        guard read.problems.isEmpty else { return .unreadable(.unknownOptions) }
        if let script = read.values["c"] ?? read.values["command"] ?? read.values["C"]
            ?? read.values["session-command"]
        {
            return .script(script)
        }
        // runuser USER COMMAND runs a command directly.
        let operands = read.operands.map { arguments[$0] }.filter { $0 != "-" }
        return operands.count > 1 ? .unreadable(.scriptFile) : .unreadable(.inputScript)
    }

    // MARK: Helpers

    /// The command after a wrapper's options and `skipping` operands of its own (timeout's duration, chroot's root).
    private static func after(_ grammar: OptionGrammar, _ arguments: ArraySlice<String>, skipping: Int = 0) -> Next {
        after(grammar.read(arguments), arguments, skipping: skipping)
    }

    private static func after(_ read: ReadOptions, _ arguments: ArraySlice<String>, skipping: Int = 0) -> Next {
        guard read.problems.isEmpty else { return .unreadable(.unknownOptions) }
        let start = min(read.firstOperand + skipping, arguments.endIndex)
        let rest = arguments[start...]
        return rest.isEmpty ? .nothing : .command(rest, more: false)
    }

    static func isAssignment(_ word: String) -> Bool {
        guard let equals = word.firstIndex(of: "="), equals != word.startIndex else { return false }
        let name = word[..<equals]
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }
}
