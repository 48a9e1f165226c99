/// The word that introduces a value (`api_key` in `"api_key": "…"`, `Bearer` in `Authorization: Bearer …`), read
/// backwards from the value's start, so high-entropy values can be judged by what they are called.
struct SecretLabel {
    var isKeyish = false
    var isAWSSecret = false

    private static let keyishWords: [[UInt8]] = [
        "secret", "token", "apikey", "api_key", "api-key", "password", "passwd", "credential", "auth", "bearer",
        "private", "signature",
    ].map { Array($0.utf8) }

    /// Reads the label before `valueStart`: optional quotes and spaces, then `:`, `=` or `=>` (or nothing after
    /// `Bearer`), optional quotes and spaces, then the label word on the same line.
    static func before(_ text: ScanText, _ valueStart: Int) -> SecretLabel {
        var index = valueStart - 1
        func skipSpacesAndQuotes() {
            while index >= 0 && valueStart - index <= 48 {
                let byte = text[index]
                guard
                    byte == ASCII.space || byte == ASCII.tab || byte == UInt8(ascii: "\"")
                        || byte == UInt8(ascii: "'")
                else { break }
                index -= 1
            }
        }
        skipSpacesAndQuotes()
        var sawAssignment = false
        if index >= 0 && (text[index] == ASCII.colon || text[index] == ASCII.equals) {
            sawAssignment = true
            index -= 1
        } else if index >= 1 && text[index] == UInt8(ascii: ">") && text[index - 1] == ASCII.equals {
            sawAssignment = true
            index -= 2
        }
        skipSpacesAndQuotes()
        let wordEnd = index + 1
        while index >= 0 && wordEnd - index <= 48 {
            let byte = text[index]
            guard ASCII.isAlnum(byte) || byte == ASCII.underscore || byte == ASCII.dash || byte == ASCII.dot else {
                break
            }
            index -= 1
        }
        let wordStart = index + 1
        guard wordStart < wordEnd else { return SecretLabel() }
        // Most runs in ordinary text (digests in logs, ids in CSV) have no `:`/`=` before them: then only the exact
        // word `Bearer` makes them key-ish, and nothing needs building.
        guard sawAssignment else {
            return SecretLabel(isKeyish: wordEnd - wordStart == 6 && text.matchesIgnoringCase("bearer", at: wordStart))
        }
        // At most 48 bytes: the lowercased word and its copy without `_` and `-`, compared as bytes.
        var word: [UInt8] = []
        var squeezed: [UInt8] = []
        word.reserveCapacity(wordEnd - wordStart)
        squeezed.reserveCapacity(wordEnd - wordStart)
        for position in wordStart..<wordEnd {
            let byte = ASCII.lowercased(text[position])
            word.append(byte)
            if byte != ASCII.underscore && byte != ASCII.dash { squeezed.append(byte) }
        }
        var label = SecretLabel()
        label.isKeyish = keyishWords.contains { word.contains($0) } || word.suffix(3).elementsEqual("key".utf8)
        label.isAWSSecret =
            squeezed.contains(Array("secretaccesskey".utf8))
            || (word.contains(Array("aws".utf8)) && word.contains(Array("secret".utf8)))
        return label
    }

}
