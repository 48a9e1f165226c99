/// One command as a POSIX shell (bash) would run it, found in a command line by `ShellCommandLine.parse`.
///
/// `argv` is what the program receives when every word is literal. Where the shell would compute part of a word
/// at run time (a substitution, an expansion, a glob in the command's name), the word is kept as written and the
/// construct is listed in `opaque`: a judge cannot know from the text alone what such a command runs.
struct SimpleCommand: Sendable, Equatable {
    /// The words after quote removal; `argv[0]` is the command name as written (`/bin/rm`, not `rm`).
    var argv: [String]
    /// `NAME=value` words before the command name, which set its environment.
    var assignments: [String] = []
    var redirections: [ShellRedirection] = []
    var opaque: Set<ShellOpacity> = []
    /// How this command is joined to the next one; nil for the last.
    var next: ShellSeparator?
    /// 0 for the command line itself, 1 inside its `sh -c '...'` or `eval` text, and so on.
    var depth = 0
    /// Indices in `argv` of words with an unquoted `*`, `?` or `[`: as a program's name (after a wrapper too) the
    /// file system picks the program.
    var globbedWords: Set<Int> = []
    /// What the command does, through its wrappers (filled in by `CommandReader`).
    var classes: Set<CommandClass> = []
    /// The command lines it runs: itself, then each command its wrappers run (`sudo rm -r x` runs `rm -r x`).
    var runs: [[String]] = []

    /// The command's name without its directory (`/bin/rm` and `\rm` both give `rm`).
    var program: String? {
        guard let name = argv.first else { return nil }
        return name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
    }

    var isOpaque: Bool { !opaque.isEmpty }
}

/// Where the shell would decide something at run time that the text does not show.
enum ShellOpacity: String, Sendable, Hashable, CaseIterable {
    /// `$(...)` or backticks: another command's output becomes words.
    case commandSubstitution
    /// `<(...)` or `>(...)`.
    case processSubstitution
    /// `$NAME`, `${...}`, `$1`: a variable's value becomes (part of) a word, e.g. `rm${IFS}-rf`.
    case parameterExpansion
    /// `$((...))`.
    case arithmeticExpansion
    /// `{a,b}` or `{1..3}`: one word becomes several.
    case braceExpansion
    /// `*`, `?` or `[` in the command's name: the file system picks the program.
    case globbedName
    /// `eval`: the arguments are run again as a command line.
    case eval
    /// `sh -c`/`bash -c` whose script is not literal text, so it could not be parsed.
    case dynamicScript
    /// A here-document whose body the shell expands (unquoted delimiter with `$` or backticks in it).
    case expandedHereDocument
    /// `for`, `case`, `select`, function definitions: constructs whose effect depends on run-time values.
    case compound
    /// A shell reading its commands from its input: the channel's data, a pipe, a redirection, a here-document.
    case inputScript
    /// A shell or `source` running a script file the judge cannot read.
    case scriptFile
    /// An interpreter running code (`python3 -c`, `perl -e`, `awk '{system(...)}'`), or an option that runs a
    /// program of the caller's choosing (`tar --to-command`, `rsync -e`).
    case interpreterCode
    /// A wrapper with an option the judge does not know, which might move where the wrapped command begins.
    case unknownOptions
    /// `env -S` with a string whose words the judge cannot split as env does.
    case splitString
    /// A variable that changes which program runs or what runs inside it (`LD_PRELOAD=`, `PATH=`, `BASH_ENV=`).
    case runtimeEnvironment
    /// `alias`, `hash`, `trap`, `enable`, `shopt`: later names stop meaning what they say.
    case shellState
    /// The program's name is filled in at run time (`xargs -I{} {} ...`, `find -exec {} ;`).
    case computedName

    /// Constructs that make a word's text differ from what the shell passes on.
    static let computedWords: Set<ShellOpacity> = [
        .commandSubstitution, .parameterExpansion, .arithmeticExpansion, .processSubstitution, .braceExpansion,
    ]
}

/// How consecutive commands are joined.
enum ShellSeparator: String, Sendable, Equatable {
    case semicolon = ";"
    case newline = "\n"
    case and = "&&"
    case or = "||"
    case pipe = "|"
    /// `|&`: a pipe that carries stderr too.
    case pipeWithErrors = "|&"
    /// `&`: the command runs in the background.
    case background = "&"
}

/// `2>&1`, `> out.txt`, `<<EOF`: where a command's input or output goes.
struct ShellRedirection: Sendable, Equatable {
    /// The file descriptor written before the operator, if any.
    var descriptor: Int?
    var symbol: String
    /// The file, descriptor or here-document delimiter after quote removal.
    var target: String
}

/// A command line the shell itself would reject, or one this parser cannot follow; a judge refuses it.
struct ShellSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    var message: String
    /// Offset in characters from the start of the command line.
    var offset: Int

    var description: String { "cannot parse the command line at character \(offset): \(message)" }
}
