import Testing

@testable import Local

@Suite("Duration syntax")
struct DurationSyntaxTests {
    @Test(
        "accepted forms",
        arguments: [("90", 90), ("90s", 90), ("30m", 1800), ("2h", 7200), ("1h30m", 5400), ("1H5M10S", 3910)]
    )
    func parses(text: String, seconds: Int) throws {
        #expect(try DurationSyntax.seconds(text) == seconds)
    }

    @Test("refused forms are usage errors", arguments: ["", "0", "-5", "m", "30x", "1m1h", "5m5m", "1h30", "1.5h"])
    func refuses(text: String) {
        #expect {
            try DurationSyntax.seconds(text)
        } throws: { error in
            (error as? LocalError)?.exitStatus == .usage
        }
    }

    @Test("formatting is compact and parses back", arguments: [(5400, "1h30m"), (3600, "1h"), (45, "45s"), (0, "0s")])
    func formats(seconds: Int, text: String) throws {
        #expect(DurationSyntax.format(seconds) == text)
        if seconds > 0 {
            #expect(try DurationSyntax.seconds(text) == seconds)
        }
    }
}
