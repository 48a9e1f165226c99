/// Reads what one simple command really runs: through wrappers (`sudo`, `env`, `xargs`, `timeout`...), into the
/// scripts of shells (`sh -c`, `su -c`, `eval`), past `find -exec`, and names the classes of every program it
/// reaches. What runs code the judge cannot read — an interpreter, a shell fed from its input or a file, a script
/// built at run time, a wrapper with options it does not know — is marked opaque.
enum CommandReader {
    /// `command` with its classes, the commands it runs and its opacity filled in, followed by the commands of the
    /// scripts it runs (one level deeper).
    static func read(_ command: SimpleCommand) throws(ShellSyntaxError) -> [SimpleCommand] {
        var command = command
        let dynamic = !command.opaque.isDisjoint(with: ShellOpacity.computedWords)
        var reading = Reading(depth: command.depth, globbed: command.globbedWords, dynamic: dynamic)
        reading.check(assignments: command.assignments[...])
        try reading.follow(command.argv[...], more: false)
        for redirection in command.redirections { reading.classify(redirection) }
        command.classes.formUnion(reading.classes)
        command.opaque.formUnion(reading.opaque)
        command.runs = reading.runs
        return [command] + reading.nested
    }

    private struct Reading {
        let depth: Int
        let globbed: Set<Int>
        /// Some word is computed at run time, so a script among them is not the text it appears to be.
        let dynamic: Bool
        var classes: Set<CommandClass> = []
        var opaque: Set<ShellOpacity> = []
        var runs: [[String]] = []
        var nested: [SimpleCommand] = []
        /// Inside `find -exec`: a deletion there covers a tree.
        var underFind = false
        /// Text replaced at run time by what `xargs -I` reads or the file `find -exec` found (`{}`): a script that
        /// contains it is not the text it appears to be.
        var placeholder: String?

        /// Reads the program `argv` names; `more` when it will get arguments the text does not show.
        mutating func follow(_ argv: ArraySlice<String>, more: Bool) throws(ShellSyntaxError) {
            guard let name = argv.first else { return }
            if globbed.contains(argv.startIndex) { opaque.insert(.globbedName) }
            let program = name.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? name
            runs.append(Array(argv))
            let arguments = argv.dropFirst()
            if Self.settersOfVariables.contains(program) { check(assignments: arguments) }
            if Self.subscriptEvaluators.contains(program),
                arguments.contains(where: { $0.contains("$(") || $0.contains("`") })
            {
                // `[[ -v 'a[$(rm -rf /)]' ]]`, `printf -v 'a[$(id)]'`: bash evaluates array subscripts in these
                // arguments, quotes or not, and runs the substitution.
                opaque.insert(.eval)
                return
            }
            if Self.changersOfNames.contains(program) {
                // `alias ls=...`, `hash -p /tmp/x ls`, `trap '...' EXIT`: later words stop meaning what they say.
                classes.insert(.shellEval)
                opaque.insert(.shellState)
                return
            }
            if let (wrapperClasses, next) = CommandWrappers.step(program, arguments) {
                classes.formUnion(wrapperClasses)
                switch next {
                case .command(let inner, let adds, let replaced):
                    let outer = placeholder
                    placeholder = replaced ?? placeholder
                    defer { placeholder = outer }
                    try follow(inner, more: more || adds)
                case .script(let script): try run(script)
                case .unreadable(let why): opaque.insert(why)
                case .nothing: break
                }
                return
            }
            if ShellInvocation.shells.contains(program) {
                try shell(arguments)
                return
            }
            switch program {
            case "eval":
                classes.insert(.shellEval)
                opaque.insert(.eval)
                try run(arguments.joined(separator: " "))
            case "source", ".":
                classes.insert(.shellEval)
                opaque.insert(.scriptFile)
            case "find":
                try find(arguments)
            default:
                if Interpreters.opaque(program, arguments) {
                    classes.insert(.interpreter)
                    opaque.insert(.interpreterCode)
                    return
                }
                let found = CommandClassifier.classify(program, arguments, unknownArguments: more)
                classes.formUnion(found.classes)
                if underFind, found.classes.contains(.fileDelete) { classes.insert(.recursiveDelete) }
                if found.unreadable { opaque.insert(.interpreterCode) }
            }
        }

        /// `LD_PRELOAD=x ls`, `env PATH=/tmp ls`, `export BASH_ENV=...`: variables that change which program runs,
        /// or what runs inside it, make the command unreadable.
        mutating func check(assignments words: ArraySlice<String>) {
            for word in words where CommandWrappers.isAssignment(word) || word.contains("=") {
                let name = String(word.prefix { $0 != "=" && $0 != "+" && $0 != "[" })
                if EnvironmentFilter.changesWhatRuns(name) { opaque.insert(.runtimeEnvironment) }
            }
        }

        private static let settersOfVariables: Set<String> = [
            "env", "sudo", "export", "declare", "typeset", "local", "readonly",
        ]
        private static let subscriptEvaluators: Set<String> = [
            "[[", "[", "test", "let", "declare", "typeset", "local", "readonly", "export", "printf", "read", "unset",
            "mapfile", "readarray", "wait", "((",
        ]
        private static let changersOfNames: Set<String> = ["alias", "hash", "trap", "enable", "bind", "shopt"]

        /// A shell: its `-c` script is read one level deeper; without one it runs a file or its input.
        private mutating func shell(_ arguments: ArraySlice<String>) throws(ShellSyntaxError) {
            classes.insert(.shellEval)
            switch ShellInvocation(arguments) {
            case .script(let script): try run(script)
            case .file: opaque.insert(.scriptFile)
            case .input: opaque.insert(.inputScript)
            case .unknownOptions: opaque.insert(.unknownOptions)
            }
        }

        /// `find ... -delete` deletes a tree; `-exec`, `-execdir`, `-ok`, `-okdir` run a command per file.
        private mutating func find(_ arguments: ArraySlice<String>) throws(ShellSyntaxError) {
            var index = arguments.startIndex
            while index < arguments.endIndex {
                let word = arguments[index]
                index += 1
                switch word {
                case "-delete":
                    classes.formUnion([.fileDelete, .recursiveDelete])
                case "-exec", "-execdir", "-ok", "-okdir":
                    let start = index
                    while index < arguments.endIndex, arguments[index] != ";", arguments[index] != "+" { index += 1 }
                    let wasUnderFind = underFind
                    let outer = placeholder
                    underFind = true
                    placeholder = "{}"
                    defer { placeholder = outer }
                    if arguments[start..<index].first?.contains("{}") == true {
                        opaque.insert(.computedName)
                    } else {
                        try follow(arguments[start..<index], more: false)
                    }
                    underFind = wasUnderFind
                    index += 1
                case "-fprint", "-fprint0", "-fprintf", "-fls":
                    break
                default:
                    break
                }
            }
        }

        /// Text a shell will run: its commands are read one level deeper, unless parts of it exist only at run
        /// time.
        private mutating func run(_ script: String) throws(ShellSyntaxError) {
            classes.insert(.shellEval)
            guard !dynamic, placeholder.map({ !script.contains($0) }) ?? true else {
                opaque.insert(.dynamicScript)
                return
            }
            nested += try ShellCommandLine.parse(script, depth: depth + 1)
        }

        /// Output to a block device writes the disk; bash's `/dev/tcp` and `/dev/udp` open network connections.
        mutating func classify(_ redirection: ShellRedirection) {
            let target = redirection.target
            if target.hasPrefix("/dev/tcp/") || target.hasPrefix("/dev/udp/") { classes.insert(.networkTransfer) }
            if redirection.symbol.contains(">"), CommandClassifier.isDisk(target) { classes.insert(.diskWrite) }
        }
    }
}

/// How a shell was asked to get its commands.
enum ShellInvocation: Equatable {
    case script(String)
    /// A script file (`bash deploy.sh`).
    case file
    /// Its input (`sh`, `bash -s`, `echo ... | sh`, `sh < file`, here-documents).
    case input
    case unknownOptions

    static let shells: Set<String> = [
        "sh", "bash", "dash", "zsh", "ksh", "ksh93", "mksh", "ash", "rbash", "yash", "posh", "csh", "tcsh", "fish",
    ]

    /// Options with a value: `-o OPTION`, `-O SHOPT`, `--rcfile FILE`, `--init-file FILE`; the first operand is the
    /// script with `-c`, a file without it, unless `-s` says to read the input.
    init(_ arguments: ArraySlice<String>) {
        var index = arguments.startIndex
        var command = false
        var input = false
        while index < arguments.endIndex {
            let word = arguments[index]
            index += 1
            if word == "--" || word == "-" { break }
            if word.hasPrefix("--") {
                if ["--rcfile", "--init-file"].contains(word) { index += 1 }
                continue
            }
            guard word.hasPrefix("-") || word.hasPrefix("+") else {
                index -= 1
                break
            }
            for letter in word.dropFirst() {
                switch letter {
                case "c": command = true
                case "s": input = true
                case "o", "O":
                    index += 1
                default: break
                }
            }
        }
        guard index < arguments.endIndex else {
            self = command ? .unknownOptions : .input
            return
        }
        if command {
            self = .script(arguments[index])
        } else {
            self = input ? .input : .file
        }
    }
}
