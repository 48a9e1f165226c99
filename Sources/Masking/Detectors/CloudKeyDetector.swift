/// Finds cloud and SaaS credentials that announce themselves by prefix: AWS access key ids (`AKIA`/`ASIA` + 16),
/// GitHub tokens (`ghp_`/`gho_`/`ghu_`/`ghs_`/`ghr_` + 36, `github_pat_…`), Slack tokens (`xoxb-`, `xoxp-`,
/// `xoxa-`, `xoxr-`, `xoxs-`, `xapp-`) and incoming-webhook URLs, and Stripe secret/restricted keys
/// (`sk_live_`, `rk_live_`, `sk_test_`, `rk_test_` + at least 24). AWS secret access keys have no prefix and are
/// found by ``GenericSecretDetector`` next to an AWS label.
enum CloudKeyDetector {
    static func scan(_ text: ScanText, into collector: inout HitCollector) {
        guard text.count >= 20 else { return }
        var index = 0
        while index < text.count {
            if text.wordCanStart(at: index), let (end, label) = match(text, at: index) {
                let start = label == .slackToken && text.matches("https://", at: index - 8) ? index - 8 : index
                collector.add(start..<end, label, specificity: 3)
                index = end
            } else {
                index += 1
            }
        }
    }

    private static func match(_ text: ScanText, at start: Int) -> (Int, HitLabel)? {
        switch text[start] {
        case UInt8(ascii: "A"):
            guard text.matches("AKIA", at: start) || text.matches("ASIA", at: start) else { return nil }
            return token(text, from: start + 4, minimum: 16, maximum: 16, where: ASCII.isUpperAlnum).map {
                ($0, .awsKey)
            }
        case UInt8(ascii: "g"):
            if text.matches("github_pat_", at: start) {
                return token(text, from: start + 11, minimum: 22, maximum: 255) {
                    ASCII.isAlnum($0) || $0 == ASCII.underscore
                }
                .map { ($0, .githubToken) }
            }
            guard text.matches("gh", at: start), text.byte(at: start + 3) == ASCII.underscore,
                [UInt8(ascii: "p"), UInt8(ascii: "o"), UInt8(ascii: "u"), UInt8(ascii: "s"), UInt8(ascii: "r")]
                    .contains(text.byte(at: start + 2))
            else { return nil }
            return token(text, from: start + 4, minimum: 36, maximum: 251, where: ASCII.isAlnum).map {
                ($0, .githubToken)
            }
        case UInt8(ascii: "x"):
            let prefixes: [StaticString] = ["xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-"]
            guard prefixes.contains(where: { text.matches($0, at: start) }) else { return nil }
            return token(text, from: start + 5, minimum: 10, maximum: 255) { ASCII.isAlnum($0) || $0 == ASCII.dash }
                .map { ($0, .slackToken) }
        case UInt8(ascii: "h"):
            guard text.matches("hooks.slack.com/services/", at: start) else { return nil }
            return token(text, from: start + 25, minimum: 20, maximum: 255) {
                ASCII.isAlnum($0) || $0 == ASCII.slash || $0 == ASCII.underscore
            }.map { ($0, .slackToken) }
        case UInt8(ascii: "s"), UInt8(ascii: "r"):
            let prefixes: [StaticString] = ["sk_live_", "rk_live_", "sk_test_", "rk_test_"]
            guard prefixes.contains(where: { text.matches($0, at: start) }) else { return nil }
            return token(text, from: start + 8, minimum: 24, maximum: 247, where: ASCII.isAlnum).map {
                ($0, .stripeKey)
            }
        default:
            return nil
        }
    }

    /// The end of a token body of `minimum`…`maximum` bytes that is not glued to further word characters.
    private static func token(
        _ text: ScanText,
        from start: Int,
        minimum: Int,
        maximum: Int,
        where predicate: (UInt8) -> Bool
    ) -> Int? {
        let end = text.runEnd(from: start, limit: start + maximum + 1, where: predicate)
        guard (minimum...maximum).contains(end - start), text.wordCanEnd(at: end) else { return nil }
        return end
    }
}
