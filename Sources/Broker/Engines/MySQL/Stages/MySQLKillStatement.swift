import Foundation
import SQLAnalysis

/// `KILL [HARD | SOFT] [CONNECTION | QUERY] <id>` as clients send it (the `mysql` client on Ctrl-C, with the id
/// from the greeting). The broker's ids are not the target's, so the statement is rewritten for the target thread
/// it names; a KILL in any other shape is refused rather than passed on, since on the target it would name threads
/// of other sessions that share the held login.
struct MySQLKillStatement: Equatable {
    enum Scope: String {
        case connection = "CONNECTION"
        case query = "QUERY"
    }

    /// What a statement text is, as far as KILL goes.
    enum Reading: Equatable {
        case notKill
        case kill(MySQLKillStatement)
        /// Starts with KILL but is not a shape the broker can map.
        case unmappable
    }

    var scope: Scope
    var id: UInt32

    /// A KILL the simple shape misses — behind a comment, after another statement, inside a versioned comment — is
    /// still a KILL to the server, so anything the analyser reads as one (in any reading of the text), or cannot
    /// read while it holds the word, is unmappable rather than passed on unchanged.
    static func read(_ sql: String) -> Reading {
        // Nearly every statement lacks the word: one pass over its bytes settles it without splitting the text.
        guard mentionsKill(sql) else { return .notKill }
        let simple = readSimple(sql)
        guard simple == .notKill else { return simple }
        let analysis = SQLAnalysis.analyze(sql, dialect: .mysql)
        guard analysis.problem == nil else { return .unmappable }
        return analysis.statements.contains { $0.isClass(.kill) } ? .unmappable : .notKill
    }

    /// Whether `kill` appears anywhere in the text, in any letter case.
    static func mentionsKill(_ sql: String) -> Bool {
        let word: [UInt8] = Array("kill".utf8)
        var matched = 0
        for byte in sql.utf8 {
            let lower = byte | 0x20
            if lower == word[matched] {
                matched += 1
                if matched == word.count { return true }
            } else {
                matched = lower == word[0] ? 1 : 0
            }
        }
        return false
    }

    /// The shape clients send: `KILL [HARD | SOFT] [CONNECTION | QUERY] <id>` and nothing else.
    private static func readSimple(_ sql: String) -> Reading {
        var words = sql.split(whereSeparator: { $0.isWhitespace || $0 == ";" }).map { $0.uppercased() }
        guard words.first == "KILL" else { return .notKill }
        words.removeFirst()
        if let first = words.first, first == "HARD" || first == "SOFT" { words.removeFirst() }
        var scope = Scope.connection
        if let first = words.first, let named = Scope(rawValue: first) {
            scope = named
            words.removeFirst()
        }
        // The trailing semicolons were separators; anything but one number left is another shape.
        guard words.count == 1, let id = UInt32(words[0]) else { return .unmappable }
        return .kill(MySQLKillStatement(scope: scope, id: id))
    }

    /// The statement for the target thread.
    func rewritten(to threadID: UInt32) -> String {
        "KILL \(scope.rawValue) \(threadID)"
    }
}

/// MySQL identifiers as the broker writes them into statements it judges in a command's place.
enum MySQLIdentifier {
    /// `name` in backticks, with backticks inside doubled.
    static func quoted(_ name: String) -> String {
        "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
    }
}
