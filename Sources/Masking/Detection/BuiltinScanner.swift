/// Runs the enabled built-in detectors over one buffer, skipping each detector whose cheapest precondition the
/// buffer cannot meet (no `@` means no email, fewer than 13 digits means no card), so the common cell, a number
/// or a short word, costs a single pass over its bytes.
struct BuiltinScanner: Sendable {
    let strategy: MaskingStrategy
    /// Enabled detectors as a bit set: looking one up runs for every value, so it must not hash.
    private let enabled: UInt16

    init(detectors: [DetectorKind], strategy: MaskingStrategy) {
        self.strategy = strategy
        self.enabled = detectors.reduce(0) { $0 | Self.bit($1) }
    }

    @inline(__always) private static func bit(_ kind: DetectorKind) -> UInt16 {
        switch kind {
        case .email: return 1 << 0
        case .paymentCard: return 1 << 1
        case .usSSN: return 1 << 2
        case .phone: return 1 << 3
        case .iban: return 1 << 4
        case .ipAddress: return 1 << 5
        case .jwt: return 1 << 6
        case .privateKey: return 1 << 7
        case .cloudKeys: return 1 << 8
        }
    }

    @inline(__always) private func runs(_ kind: DetectorKind) -> Bool {
        enabled & Self.bit(kind) != 0
    }

    func scan(_ text: ScanText, into hits: inout [DetectorHit]) {
        guard enabled != 0, text.count >= 7 else { return }
        let profile = Profile(text)
        var collector = HitCollector(strategy: strategy)
        collector.hits = hits
        if runs(.privateKey) && profile.hasDashRun {
            PrivateKeyDetector.scan(text, into: &collector)
        }
        if runs(.email) && profile.ats > 0 && profile.dots > 0 {
            EmailDetector.scan(text, into: &collector)
        }
        if runs(.paymentCard) && profile.digits >= 13 {
            PaymentCardDetector.scan(text, into: &collector)
        }
        if runs(.usSSN) && profile.digits >= 9 {
            SSNDetector.scan(text, into: &collector)
        }
        if runs(.phone) && profile.digits >= 10 {
            PhoneDetector.scan(text, into: &collector)
        }
        if runs(.iban) && profile.uppers >= 2 && profile.digits >= 2 {
            IBANDetector.scan(text, into: &collector)
        }
        if runs(.ipAddress) && ((profile.dots >= 3 && profile.digits >= 4) || profile.colons >= 2) {
            IPAddressDetector.scan(text, into: &collector)
        }
        if runs(.jwt) && profile.dots >= 2 && profile.longestTokenRun >= 16 {
            JWTDetector.scan(text, into: &collector)
        }
        if runs(.cloudKeys) && profile.longestTokenRun >= 20 {
            CloudKeyDetector.scan(text, into: &collector)
            if profile.longestTokenRun >= 32 {
                GenericSecretDetector.scan(text, into: &collector)
            }
        }
        hits = collector.hits
    }

    /// Byte-class counts gathered in one pass to decide which detectors can possibly match.
    private struct Profile {
        var digits = 0
        var ats = 0
        var dots = 0
        var colons = 0
        var uppers = 0
        var longestTokenRun = 0
        var hasDashRun = false

        init(_ text: ScanText) {
            var tokenRun = 0
            var dashRun = 0
            for byte in text.bytes {
                if ASCII.isDigit(byte) {
                    digits += 1
                } else if ASCII.isUpper(byte) {
                    uppers += 1
                } else if byte == ASCII.at {
                    ats += 1
                } else if byte == ASCII.dot {
                    dots += 1
                } else if byte == ASCII.colon {
                    colons += 1
                }
                if ASCII.isAlnum(byte) || byte == ASCII.underscore || byte == ASCII.dash || byte == ASCII.plus
                    || byte == ASCII.slash
                {
                    tokenRun += 1
                    if tokenRun > longestTokenRun { longestTokenRun = tokenRun }
                } else {
                    tokenRun = 0
                }
                if byte == ASCII.dash {
                    dashRun += 1
                    if dashRun >= 5 { hasDashRun = true }
                } else {
                    dashRun = 0
                }
            }
        }
    }
}
