import Foundation
import HoopCore
import SQLAnalysis
import Testing

/// What a person reads in the first hour: a typo is named as a typo with the likely word, a mistake in a name gets
/// "did you mean", a failure says what happened in plain words (no Swift or NIO type dumps), and the clock is
/// shown where it matters (token expiry, how long an approval has waited and when it expires).
@Suite("CLI: messages a new user reads", .serialized)
struct MessagesTests {
    @Test("spelling suggestions: close typos only, never an exact name or an unrelated word")
    func spelling() {
        #expect(SQLVerbs.suggestion(for: "selec") == "select")
        #expect(SQLVerbs.suggestion(for: "SLECT") == "select")
        #expect(SQLVerbs.suggestion(for: "udpate") == "update", "a swap of neighbours is one edit")
        #expect(SQLVerbs.suggestion(for: "select") == nil)
        #expect(SQLVerbs.suggestion(for: "frobnicate") == nil)
        #expect(Spelling.closest(to: "sesions", among: ["sessions", "resources", "replay"]) == "sessions")
        #expect(Spelling.closest(to: "pg", among: ["pg-prod"]) == nil)
    }

    /// The patterns of type dumps a user must never see.
    static let internals = ["DecodingError", "dataCorrupted", "codingPath", "bind(", "IOError", "NIO", "errno:"]

    @Test("typos and wrong names on a live stack: refused or rejected, but named, with the likely word")
    func namedMistakes() async throws {
        try await FirstHourStack.with { stack in
            let typo = try await stack.agent.run(["exec", "pg-guarded", "--", "selec 1"])
            #expect(typo.status == 3, "a guarded resource still refuses what it cannot read")
            #expect(
                typo.stderr.contains("SELEC is not a SQL command the broker knows (did you mean SELECT?)"),
                "\(typo.stderr)")
            #expect(!typo.stderr.contains("runs code the broker cannot inspect"))

            let resource = try await stack.agent.run(["exec", "pg-guardd", "--", "select 1"])
            #expect(resource.status == 1)
            #expect(resource.stderr.contains("there is no resource named pg-guardd (did you mean pg-guarded?)"))
            // Suggestions come only from what the caller may use: alice may not use pg-gated.
            let hidden = try await stack.alice.run(["exec", "pg-gatd", "--", "select 1"])
            #expect(!hidden.stderr.contains("pg-gated"), "\(hidden.stderr)")

            let subcommand = try await stack.agent.run(["sesions"])
            #expect(subcommand.status == 2)
            #expect(subcommand.stderr.contains("Did you mean 'sessions'?"), "\(subcommand.stderr)")
            let nested = try await stack.agent.run(["approvals", "aprove", "1"])
            #expect(nested.stderr.contains("Did you mean 'approve'?"), "\(nested.stderr)")
        }
    }

    @Test("failures in plain words: a busy port, a corrupt token cache; whoami shows the token's expiry")
    func plainWords() async throws {
        try await FirstHourStack.with { stack in
            let busy = try await stack.agent.run(["connect", "pg-guarded", "--port", String(stack.broker.port)])
            #expect(busy.status != 0)
            #expect(busy.stderr.contains("Address already in use"), "\(busy.stderr)")
            for pattern in Self.internals {
                #expect(!busy.stderr.contains(pattern), "\(pattern) in: \(busy.stderr)")
            }

            let whoami = try await stack.agent.run(["whoami"])
            #expect(whoami.stdout.contains("token:   expires "), "\(whoami.stdout)")
            #expect(whoami.stdout.contains("(in "), "\(whoami.stdout)")
            let json = try await stack.agent.run(["whoami", "--output", "json"])
            #expect(json.stdout.contains("\"token_expires_at\":\""), "\(json.stdout)")
            #expect(json.stdout.contains("\"subject\":\"ci-agent\""))

            let cache = stack.agent.home.appendingPathComponent("hoopctl/tokens.json")
            try "{\"version\": \"not a number\"".write(to: cache, atomically: true, encoding: .utf8)
            let corrupt = try await stack.agent.run(["whoami"])
            #expect(corrupt.status == 1)
            #expect(corrupt.stderr.contains("tokens.json"), "\(corrupt.stderr)")
            for pattern in Self.internals {
                #expect(!corrupt.stderr.contains(pattern), "\(pattern) in: \(corrupt.stderr)")
            }
        }
    }

    @Test("waiting for approval shows how long it has waited and when the request expires")
    func approvalClock() async throws {
        try await FirstHourStack.with { stack in
            let exec = try stack.agent.spawn(["exec", "pg-guarded", "--", "DROP TABLE IF EXISTS clock"])
            let line = try await exec.waitForOutput("waiting for approval")
            #expect(line.contains("waited "), "\(line)")
            #expect(line.contains("expires in 1m5") || line.contains("expires in 2m"), "\(line)")
            let id = try FirstHourStack.approvalID(in: line)
            #expect(try await stack.agent.run(["approvals", "cancel", String(id)]).status == 0)
            #expect(try await exec.waitForExit() == 3)
        }
    }
}
