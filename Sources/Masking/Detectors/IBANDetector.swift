/// Finds International Bank Account Numbers: a country code, two check digits and the country's fixed-length BBAN,
/// compact or printed in groups of four separated by single spaces, whose ISO 7064 mod-97 remainder is 1.
///
/// The per-country length rejects most look-alikes before the checksum runs; the checksum catches every
/// single-character error.
enum IBANDetector {
    /// Total IBAN length per country (ISO 13616 registry), for the countries whose accounts commonly appear.
    private static let lengths: [UInt16: Int] = {
        let table: [(String, Int)] = [
            ("AD", 24), ("AE", 23), ("AL", 28), ("AT", 20), ("AZ", 28), ("BA", 20), ("BE", 16), ("BG", 22),
            ("BH", 22), ("BR", 29), ("CH", 21), ("CR", 22), ("CY", 28), ("CZ", 24), ("DE", 22), ("DK", 18),
            ("DO", 28), ("EE", 20), ("EG", 29), ("ES", 24), ("FI", 18), ("FO", 18), ("FR", 27), ("GB", 22),
            ("GE", 22), ("GI", 23), ("GL", 18), ("GR", 27), ("GT", 28), ("HR", 21), ("HU", 28), ("IE", 22),
            ("IL", 23), ("IS", 26), ("IT", 27), ("JO", 30), ("KW", 30), ("KZ", 20), ("LB", 28), ("LI", 21),
            ("LT", 20), ("LU", 20), ("LV", 21), ("MC", 27), ("MD", 24), ("ME", 22), ("MK", 19), ("MR", 27),
            ("MT", 31), ("MU", 30), ("NL", 18), ("NO", 15), ("PK", 24), ("PL", 28), ("PS", 29), ("PT", 25),
            ("QA", 29), ("RO", 24), ("RS", 22), ("SA", 24), ("SE", 24), ("SI", 19), ("SK", 24), ("SM", 27),
            ("TN", 24), ("TR", 26), ("UA", 29), ("VG", 24), ("XK", 20),
        ]
        var lengths: [UInt16: Int] = [:]
        for (code, length) in table {
            let bytes = Array(code.utf8)
            lengths[UInt16(bytes[0]) << 8 | UInt16(bytes[1])] = length
        }
        return lengths
    }()

    static func scan(_ text: ScanText, into collector: inout HitCollector) {
        guard text.count >= 15 else { return }
        var index = 0
        var characters: [UInt8] = []
        characters.reserveCapacity(34)
        while index + 15 <= text.count {
            if ASCII.isUpper(text[index]), let end = match(text, at: index, characters: &characters) {
                collector.add(index..<end, .iban, specificity: 3)
                index = end
            } else {
                index += 1
            }
        }
    }

    private static func match(_ text: ScanText, at start: Int, characters: inout [UInt8]) -> Int? {
        guard ASCII.isUpper(text[start + 1]), ASCII.isDigit(text[start + 2]), ASCII.isDigit(text[start + 3]),
            text.wordCanStart(at: start),
            let length = lengths[UInt16(text[start]) << 8 | UInt16(text[start + 1])]
        else { return nil }
        let grouped = text[start + 4] == ASCII.space
        characters.removeAll(keepingCapacity: true)
        var index = start
        while characters.count < length {
            if grouped && characters.count % 4 == 0 && characters.count > 0 {
                guard text.byte(at: index) == ASCII.space else { return nil }
                index += 1
            }
            guard index < text.count, ASCII.isUpperAlnum(text[index]) else { return nil }
            characters.append(text[index])
            index += 1
        }
        guard text.wordCanEnd(at: index) else { return nil }
        return remainder(characters) == 1 ? index : nil
    }

    /// ISO 7064 mod 97-10 over the rearranged IBAN (BBAN, then country and check digits), letters as 10–35.
    private static func remainder(_ characters: [UInt8]) -> Int {
        var value = 0
        for offset in 0..<characters.count {
            let byte = characters[(offset + 4) % characters.count]
            if ASCII.isDigit(byte) {
                value = (value * 10 + Int(byte - ASCII.zero)) % 97
            } else {
                value = (value * 100 + Int(byte - UInt8(ascii: "A")) + 10) % 97
            }
        }
        return value
    }
}
