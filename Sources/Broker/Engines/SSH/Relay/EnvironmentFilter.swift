/// Which variables a client's SSH `env` requests may set on the target. sshd passes accepted variables to the
/// user's shell and to the command, so a variable can change what runs without a word of the command line
/// changing: `LD_PRELOAD` loads a library into every program, `BASH_ENV` and `ENV` run a file before the command,
/// `PATH` picks which `ls` runs, `IFS` re-splits words, `BASH_FUNC_ls%%` replaces a command with a function. Only
/// names the resource allows pass (`allow_env:`, globs); by default the locale and the terminal type. Names that
/// change what the shell runs are never allowed, whatever the config says.
package struct EnvironmentFilter: Sendable, Equatable {
    package var allowed: [String] = ["LANG", "LC_*", "TERM"]

    package init(allowed: [String] = ["LANG", "LC_*", "TERM"]) {
        self.allowed = allowed
    }

    /// Why `name` may not be set, or nil when it may.
    func refusal(of name: String) -> String? {
        guard Self.isPlainName(name) else {
            return "'\(name)' is not a plain variable name (exported functions and the like are never passed on)"
        }
        if Self.neverAllowed.contains(name) || Self.neverAllowedPrefixes.contains(where: name.hasPrefix) {
            return "\(name) changes what the target's shell runs and is never passed on"
        }
        guard allowed.contains(where: { NamePattern.glob($0, name) }) else {
            return "\(name) is not among the variables this resource passes on (allow_env)"
        }
        return nil
    }

    /// Whether setting `name` changes which program runs or what runs inside it.
    static func changesWhatRuns(_ name: String) -> Bool {
        neverAllowed.contains(name) || neverAllowedPrefixes.contains(where: name.hasPrefix)
    }

    /// A variable `pattern` (a name or a glob) would let through that changes what runs, or nil.
    static func dangerous(matchedBy pattern: String) -> String? {
        if let exact = neverAllowed.first(where: { NamePattern.glob(pattern, $0) }) { return exact }
        for prefix in neverAllowedPrefixes where NamePattern.glob(pattern, prefix + "X") || pattern.hasPrefix(prefix) {
            return prefix + "*"
        }
        return nil
    }

    private static func isPlainName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter || first == "_" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }
    }

    private static let neverAllowed = [
        "LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "LD_DEBUG", "LD_PROFILE", "LD_BIND_NOW", "BASH_ENV", "ENV",
        "PATH", "IFS", "SHELLOPTS", "BASHOPTS", "PS1", "PS2", "PS4", "PROMPT_COMMAND", "CDPATH", "GLOBIGNORE",
        "HOME", "SHELL", "USER", "LOGNAME", "MAIL", "TMPDIR", "HISTFILE", "INPUTRC", "PYTHONPATH", "PYTHONSTARTUP",
        "PYTHONHOME", "PERL5LIB", "PERL5OPT", "PERLLIB", "RUBYLIB", "RUBYOPT", "NODE_OPTIONS", "NODE_PATH",
        "GCONV_PATH", "LOCPATH", "NLSPATH", "MALLOC_CHECK_", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_EXEC_PATH",
        "EDITOR", "VISUAL", "PAGER", "LESSOPEN", "LESSCLOSE", "SSH_AUTH_SOCK", "ZDOTDIR",
    ]
    /// `BASH_FUNC_name%%` carries an exported function; `LD_*` and `DYLD_*` steer the loader.
    private static let neverAllowedPrefixes = ["BASH_FUNC_", "LD_", "DYLD_", "GIT_CONFIG"]
}
