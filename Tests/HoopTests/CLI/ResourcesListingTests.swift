import Foundation
import HoopCore
import Testing

/// `hoopctl resources` tells a user what will happen before it happens: which statements wait or are refused,
/// whether the session waits for approval, whether results are masked.
@Suite("CLI: resources show their policy", .serialized)
struct ResourcesListingTests {
    @Test("guardrails, session approval and masking in the table and in JSON")
    func policyShown() async throws {
        try await FirstHourStack.with { stack in
            let text = try await stack.agent.run(["resources"])
            #expect(text.status == 0, "\(text.stderr)")
            let rows = text.stdout.split(separator: "\n").map(String.init)
            #expect(rows.first?.contains("SESSION-APPROVAL") == true && rows.first?.contains("GUARDRAILS") == true)
            let guarded = try #require(rows.first { $0.hasPrefix("pg-guarded") })
            #expect(guarded.contains("ddl (approval: dba)"), "\(guarded)")
            let gated = try #require(rows.first { $0.hasPrefix("pg-gated") })
            #expect(gated.contains("dba") && gated.contains("yes"), "\(gated)")

            let json = try await stack.agent.run(["resources", "--output", "json"])
            let resources = try HoopJSON.decoder().decode([ResourceInfo].self, from: Data(json.stdout.utf8))
            let ddl = try #require(resources.first { $0.name == "pg-guarded" }?.guardrails?.first)
            #expect(ddl == GuardrailInfo(name: "ddl", action: .requireApproval, approvers: ["dba"]))
            #expect(resources.first { $0.name == "pg-gated" }?.sessionApprovers == ["dba"])
            #expect(resources.first { $0.name == "pg-gated" }?.masked == true)
            #expect(resources.first { $0.name == "pg-guarded" }?.masked == false)
            #expect(!json.stdout.contains("127.0.0.1"), "no target address reaches clients")
        }
    }
}
