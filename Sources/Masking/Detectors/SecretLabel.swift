/// The word that introduces a value (`api_key` in `"api_key": "…"`, `Bearer` in `Authorization: Bearer …`), read
/// backwards from the value's start, so high-entropy values can be judged by what they are called.
struct SecretLabel {
    var isKeyish = false
    var isAWSSecret = false

    private static let keyishWords: [String] = [
        "secret", "token", "apikey", "api_key", "api-key", "password", "passwd", "credential", "auth", "bearer",
        "private", "signature",
    ]

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
        var word = ""
        word.reserveCapacity(wordEnd - wordStart)
        for position in wordStart..<wordEnd {
            word.unicodeScalars.append(Unicode.Scalar(ASCII.lowercased(text[position])))
        }
        var label = SecretLabel()
        if sawAssignment {
            label.isKeyish = keyishWords.contains(where: word.contains) || word.hasSuffix("key")
        } else {
            label.isKeyish = word == "bearer"
        }
        let squeezed = word.filter { $0 != "_" && $0 != "-" }
        label.isAWSSecret =
            sawAssignment && (squeezed.contains("secretaccesskey") || (word.contains("aws") && word.contains("secret")))
        return label
    }
}
