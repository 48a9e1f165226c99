/// Programs that run code written in a language the judge does not read. Any run of one is opaque on a guarded
/// resource (its class is `interpreter`), whether the code comes inline (`python3 -c`, `perl -e`, `node -e`,
/// `php -r`, `psql -c`), from a file, or from the input. `awk` is the exception the judge can afford to read: a
/// program without `system(`, pipes or `getline` runs nothing else.
enum Interpreters {
    static func opaque(_ program: String, _ arguments: ArraySlice<String>) -> Bool {
        if awks.contains(program) { return awk(arguments) }
        if names.contains(program) { return true }
        return prefixes.contains { program.hasPrefix($0) && program.dropFirst($0.count).allSatisfy(versionCharacter) }
    }

    private static let names: Set<String> = [
        "ruby", "irb", "node", "nodejs", "deno", "bun", "php", "tclsh", "wish", "expect", "Rscript", "R", "julia",
        "pwsh", "powershell", "osascript", "psql", "mysql", "mariadb", "sqlite3", "redis-cli", "mongo", "mongosh",
        "gdb", "vi", "vim", "nvim", "ex", "ed", "emacs", "jshell", "groovy", "scala", "erl", "escript", "elixir",
        "iex", "guile", "sbcl", "racket", "luajit", "crontab", "at", "batch", "systemd-run", "make", "gmake",
        "nsenter", "unshare", "strace", "ltrace", "valgrind", "parallel", "ssh-agent", "dbus-launch",
    ]
    /// `python3.11`, `perl5.36`, `lua5.4`.
    private static let prefixes = ["python", "pypy", "perl", "lua", "php"]
    private static let awks: Set<String> = ["awk", "gawk", "mawk", "nawk", "busybox-awk"]

    private static func versionCharacter(_ character: Character) -> Bool {
        character.isNumber || character == "."
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
