import HoopCore

/// The words a SQL command can start with, and the one a mistyped word most likely meant. A guarded resource
/// refuses a statement it cannot read, and `selec 1` is exactly that; telling the user it "runs code the broker
/// cannot inspect" sends them looking for a policy problem when they made a typo.
package enum SQLVerbs {
    /// Command words of PostgreSQL and MySQL, lowercased.
    package static let known: Set<String> = [
        "abort", "alter", "analyse", "analyze", "begin", "call", "checkpoint", "close", "cluster", "comment", "commit",
        "copy", "create", "deallocate", "declare", "delete", "desc", "describe", "discard", "do", "drop", "end",
        "execute", "explain", "fetch", "grant", "import", "insert", "listen", "load", "lock", "merge", "move",
        "notify", "prepare", "reassign", "refresh", "reindex", "release", "rename", "replace", "reset", "revoke",
        "rollback", "savepoint", "security", "select", "set", "show", "start", "table", "truncate", "unlisten",
        "unlock", "update", "use", "vacuum", "values", "with",
        // MySQL and MariaDB.
        "binlog", "cache", "change", "check", "checksum", "flush", "get", "handler", "help", "install", "kill",
        "optimize", "purge", "repair", "resignal", "signal", "shutdown", "stop", "uninstall", "xa",
    ]

    /// The known verb closest to `word`, or nil when `word` is known already or nothing is close enough to be a
    /// likely typo.
    package static func suggestion(for word: String) -> String? {
        Spelling.closest(to: word, among: known)
    }
}
