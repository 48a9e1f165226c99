/// Programs that run code written in a language the judge does not read. Any run of one is opaque on a guarded
/// resource (its class is `interpreter`), whether the code comes inline (`python3 -c`, `perl -e`, `node -e`,
/// `php -r`, `psql -c`), from a file, or from the input. `awk` is the exception the judge can afford to read: a
/// program without `system(`, pipes or `getline` runs nothing else.
enum Interpreters {
    static func opaque(_ program: String, _ arguments: ArraySlice<String>) -> Bool {
        if awks.contains(program) { return awk(arguments) }
        if program == "sed" || program == "gsed" { return sed(arguments) }
        if names.contains(program) || shellLaunchers.contains(program) { return true }
        return prefixes.contains { program.hasPrefix($0) && program.dropFirst($0.count).allSatisfy(versionCharacter) }
    }

    private static let names: Set<String> = [
        "ruby", "irb", "node", "nodejs", "deno", "bun", "php", "tclsh", "wish", "expect", "Rscript", "R", "julia",
        "pwsh", "powershell", "osascript", "psql", "mysql", "mariadb", "sqlite3", "redis-cli", "mongo", "mongosh",
        "gdb", "vi", "vim", "nvim", "ex", "ed", "emacs", "jshell", "groovy", "scala", "erl", "escript", "elixir",
        "iex", "guile", "sbcl", "racket", "luajit", "crontab", "at", "batch", "systemd-run", "make", "gmake",
        "nsenter", "unshare", "strace", "ltrace", "valgrind", "parallel", "ssh-agent", "dbus-launch",
    ]
    /// Programs that start a shell or run a command when asked from the terminal (`!rm -rf /` in `less`, a new
    /// window in `tmux`): with a pty on an exec channel they are a shell the judge never sees.
    private static let shellLaunchers: Set<String> = [
        "less", "more", "most", "pg", "man", "view", "nano", "pico", "joe", "mc", "tmux", "screen", "byobu", "ftp",
        "lftp", "busctl", "systemd-nspawn", "machinectl", "openvt", "chvt",
    ]
    /// `python3.11`, `perl5.36`, `lua5.4`.
    private static let prefixes = ["python", "pypy", "perl", "lua", "php"]
    private static let awks: Set<String> = ["awk", "gawk", "mawk", "nawk", "busybox-awk"]

    private static func versionCharacter(_ character: Character) -> Bool {
        character.isNumber || character == "."
    }

    /// GNU sed runs commands with `e` (`1e rm -rf /`, `s/x/rm -rf \\//e`) and writes files with `w`/`W`: a script
    /// from a file, or one with such a command or `s` flag, is opaque.
    private static func sed(_ given: ArraySlice<String>) -> Bool {
        // `-i` takes an optional suffix glued to it (`-i.bak`), which the grammar would read as more letters.
        let arguments = given.map { $0.hasPrefix("-i") || $0.hasPrefix("--in-place") ? "-i" : $0 }[...]
        let read = OptionGrammar(
            valued: ["e", "expression", "f", "file", "l", "line-length"],
            flags: [
                "n", "quiet", "silent", "E", "r", "regexp-extended", "i", "in-place", "z", "null-data", "u", "b",
                "s", "separate", "debug", "posix", "sandbox", "follow-symlinks", "help", "version", "unbuffered",
            ]
        ).read(arguments)
        if read.has("f", "file") || !read.problems.isEmpty { return true }
        var scripts = [read.values["e"], read.values["expression"]].compactMap { $0 }
        if scripts.isEmpty, let first = read.operands.first { scripts.append(arguments[first]) }
        // Several -e options keep only the last value here; any other -e word is read as a script too.
        scripts += arguments.indices.dropFirst().filter { ["-e", "--expression"].contains(arguments[$0 - 1]) }
            .map { arguments[$0] }
        return scripts.contains(where: sedRunsOrWrites)
    }

    /// Walks a sed script command by command: addresses, `s` and `y` with their delimiters and escapes, text and
    /// label arguments, and answers whether any command is `e`, `w` or `W`, or any `s` has an `e` or `w` flag.
    private static func sedRunsOrWrites(_ script: String) -> Bool {
        let characters = Array(script)
        var index = 0
        /// From an opening delimiter to just past its closing one.
        func skipDelimited(_ open: Int) -> Int {
            guard open < characters.count else { return open }
            let delimiter = characters[open]
            var position = open + 1
            while position < characters.count, characters[position] != delimiter {
                position += characters[position] == "\\" ? 2 : 1
            }
            return position + 1
        }
        func skipLine() {
            while index < characters.count, characters[index] != "\n" { index += 1 }
        }
        while index < characters.count {
            let character = characters[index]
            if " \t\n;{}!0123456789$,~+".contains(character) {
                index += 1
                continue
            }
            if character == "/" {
                index = skipDelimited(index)
                continue
            }
            if character == "\\" {
                index = skipDelimited(index + 1)
                continue
            }
            index += 1
            switch character {
            case "e", "w", "W":
                return true
            case "s", "y":
                let pattern = skipDelimited(index)
                index = skipDelimited(pattern - 1)
                guard character == "s" else { continue }
                while index < characters.count, !";\n}".contains(characters[index]) {
                    if "ew".contains(characters[index]) { return true }
                    index += 1
                }
            case "a", "i", "c", ":", "b", "t", "T", "r", "R":
                skipLine()
            default:
                continue
            }
        }
        return false
    }

    /// Opaque when the program comes from a file (`-f`), or can run commands: `system(...)`, `print | "cmd"`,
    /// `"cmd" | getline`, or gawk's `@load`.
    private static func awk(_ arguments: ArraySlice<String>) -> Bool {
        let read = OptionGrammar(
            valued: ["F", "v", "f", "field-separator", "assign", "file", "i", "include", "l", "load", "E", "exec"]
        ).read(arguments)
        if read.has("f", "file", "i", "include", "l", "load", "E", "exec") || !read.problems.isEmpty { return true }
        guard let program = read.operands.first.map({ arguments[$0] }) else { return true }
        return ["system", "|", "getline", "@load", "ENVIRON"].contains { program.contains($0) }
    }
}
