/// Issuer identification ranges of the card networks, so that a Luhn-valid number that no network issues (about one
/// in ten random digit strings passes Luhn) is not taken for a card.
enum CardIssuer {
    /// Whether `digits` (the card number's digits, 13–19 of them) start with a known network's prefix at a length
    /// that network issues.
    static func isKnown(_ digits: [UInt8]) -> Bool {
        let length = digits.count
        let two = Int(digits[0]) * 10 + Int(digits[1])
        let three = two * 10 + Int(digits[2])
        let four = three * 10 + Int(digits[3])
        switch digits.first {
        case 4:  // Visa
            return length == 13 || length == 16 || length == 19
        case 2:  // Mastercard 2-series, Mir
            return length == 16 && ((2221...2720).contains(four) || (2200...2204).contains(four))
        case 5:
            if (51...55).contains(two) { return length == 16 }  // Mastercard
            return isMaestro(four) && (13...19).contains(length)  // Maestro
        case 3:
            if two == 34 || two == 37 { return length == 15 }  // American Express
            if (3528...3589).contains(four) { return (16...19).contains(length) }  // JCB
            if (300...305).contains(three) || four == 3095 || two == 36 || two == 38 || two == 39 {
                return (14...19).contains(length)  // Diners Club
            }
            return false
        case 6:
            // Discover, then UnionPay (whose 622126–622925 range Discover also accepts), then Maestro.
            if four == 6011 || two == 65 || (644...649).contains(three) { return (16...19).contains(length) }
            if two == 62 { return (16...19).contains(length) }
            return isMaestro(four) && (13...19).contains(length)
        default:
            return false
        }
    }

    private static func isMaestro(_ four: Int) -> Bool {
        switch four {
        case 5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763: return true
        default: return false
        }
    }

    /// The Luhn checksum every network's numbers satisfy; catches all single-digit typos.
    static func passesLuhn(_ digits: [UInt8]) -> Bool {
        var sum = 0
        var doubled = false
        for digit in digits.reversed() {
            var value = Int(digit)
            defer { doubled.toggle() }
            if doubled {
                value *= 2
                if value > 9 { value -= 9 }
            }
            sum += value
        }
        return sum % 10 == 0
    }
}
