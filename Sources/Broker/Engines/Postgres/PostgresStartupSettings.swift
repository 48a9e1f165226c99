import PostgresWire

/// The server settings a client's startup packet asks for, read the way PostgreSQL reads them, and whether a
/// guarded resource may accept them.
///
/// Every startup parameter but `user`, `database`, `options` and `replication` sets the setting of that name
/// (names are case-insensitive). `options` is a command line (`pg_split_opts`: split at whitespace, `\` keeps the
/// next character) whose `-c name=value`, `-cname=value` and `--name=value` switches set settings too, with every
/// `-` in the name read as `_`. A switch the broker cannot read with certainty is refused on a guarded resource.
struct PostgresStartupSettings {
    /// The settings in the order the server applies them, names folded to lower case.
    var settings: [(name: String, value: String)] = []
    /// An `options` word that is not a setting switch the broker understands.
    var unreadable: String?

    init(_ parameters: [PostgresFrontendMessage.StartupMessage.Parameter]) {
        let reserved: Set<String> = ["user", "database", "replication"]
        for parameter in parameters where !reserved.contains(parameter.name) && !parameter.name.hasPrefix("_pq_.") {
            if parameter.name == "options" {
                readOptions(parameter.value)
            } else {
                settings.append((Self.settingName(parameter.name), parameter.value))
            }
        }
    }

    /// Why a resource with guardrails must refuse this login, or nil: `tableRules` when some rule names tables,
    /// `roleRules` when some rule names the `set_role` class (a startup `role` is a SET ROLE nothing judged).
    func refusal(tableRules: Bool, roleRules: Bool = false) -> String? {
        if let unreadable {
            return "the startup option \(unreadable.debugDescription) cannot be read with certainty on a guarded "
                + "resource; only -c name=value and --name=value are accepted"
        }
        for (name, value) in settings {
            if name == "client_encoding", let encoding = PostgresEncoding(named: value), encoding.isClientOnly {
                return Self.clientOnlyRefusal(encoding)
            }
            if (name == "role" || name == "session_authorization") && roleRules {
                return "a startup parameter may not set \(name) on a resource whose guardrails judge role switches"
            }
            if name == "search_path" && tableRules {
                return "a startup parameter may not set search_path on a resource with table guardrails; qualify "
                    + "table names instead"
            }
        }
        return nil
    }

    /// Why a client-only encoding is refused; shared with the session watch.
    static func clientOnlyRefusal(_ encoding: PostgresEncoding) -> String {
        "client encoding \(encoding.rawValue) is refused on a guarded resource: its multibyte characters can hold "
            + "the bytes of \\, ' and \", so the broker could not read statements as the server does; use UTF8"
    }

    /// A setting name as the server looks it up: case-insensitive, with `-` read as `_` (for option switches).
    private static func settingName(_ name: String) -> String {
        String(name.lowercased().map { $0 == "-" ? "_" : $0 })
    }

    private mutating func readOptions(_ options: String) {
        let words = Self.split(options)
        var index = 0
        while index < words.count {
            let word = words[index]
            var assignment: String?
            if word == "-c", index + 1 < words.count {
                index += 1
                assignment = words[index]
            } else if word.hasPrefix("--") || (word.hasPrefix("-c") && word.count > 2) {
                assignment = String(word.dropFirst(2))
            }
            guard let assignment, let equals = assignment.firstIndex(of: "=") else {
                unreadable = unreadable ?? word
                index += 1
                continue
            }
            settings.append(
                (
                    Self.settingName(String(assignment[..<equals])),
                    String(assignment[assignment.index(after: equals)...])
                ))
            index += 1
        }
    }

    /// `pg_split_opts`: words separated by whitespace; a backslash takes the next character literally.
    static func split(_ options: String) -> [String] {
        var words: [String] = []
        var current: String?
        var escaped = false
        for character in options.unicodeScalars {
            if escaped {
                current = (current ?? "") + String(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
                current = current ?? ""
            } else if character == " " || (character.value >= 0x09 && character.value <= 0x0D) {
                if let word = current { words.append(word) }
                current = nil
            } else {
                current = (current ?? "") + String(character)
            }
        }
        if let word = current { words.append(word) }
        return words
    }
}
