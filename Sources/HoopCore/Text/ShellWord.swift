import Foundation

/// Words as a POSIX shell reads them, for the command lines hoopctl prints to be pasted: one word each, whatever
/// they hold.
package enum ShellWord {
    /// Characters a shell never treats specially, so a word made only of them needs no quotes.
    private static let plain = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=@:+,%"))

    /// `word` single-quoted, always.
    package static func quoted(_ word: String) -> String {
        "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    /// `word` unchanged when it needs no quotes, single-quoted otherwise.
    package static func quotedIfNeeded(_ word: String) -> String {
        word.unicodeScalars.contains(where: { !plain.contains($0) }) ? quoted(word) : word
    }
}
