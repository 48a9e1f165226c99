import Foundation
import HoopCore
import Testing

/// What was approved and what was then spent are both leaves; the verifier binds them by the statement's digest.
@Suite("Evidence bundle: approvals against what ran")
struct ApprovalEvidenceTests {
    static func approval(_ action: AuditAction, id: Int64, statement: String) -> AuditDraft {
        AuditDraft(
            actor: "alice", action: action, resource: "pg", decision: action == .approvalUse ? .allow : .info,
            details: ["approval": .int(id), "statement_sha256": .string(statement)])
    }

    @Test("a use after an approval of the same statement verifies, even in an export filtered to the use alone")
    func matchingApproval() throws {
        let fixture = try EvidenceBundleFixture(drafts: [
            10: Self.approval(.approvalRequest, id: 7, statement: "aa"),
            11: Self.approval(.approvalApprove, id: 7, statement: "aa"),
            40: Self.approval(.approvalUse, id: 7, statement: "aa"),
        ])
        defer { fixture.removeFiles() }
        let bundle = EvidenceBundleTamperer(
            directory: try fixture.write(filter: EvidenceFilter(action: AuditAction.approvalUse.rawValue)))
        let report = try bundle.verify(pinned: fixture.key)
        #expect(report.problem == nil)
        #expect(report.verified.events == 3, "the request and approval behind the shown use are shown too")
    }

    @Test("a use of a statement other than the one approved is a break")
    func statementSwapped() throws {
        let fixture = try EvidenceBundleFixture(drafts: [
            11: Self.approval(.approvalApprove, id: 7, statement: "aa"),
            40: Self.approval(.approvalUse, id: 7, statement: "bb"),
        ])
        defer { fixture.removeFiles() }
        #expect(
            try EvidenceBundleTamperer(directory: try fixture.write()).verify(pinned: fixture.key).problem?
                .description
                == "events.jsonl (seq 40): approval 7 was approved for statement aa but spent on bb (what ran is not "
                + "what was approved)")
    }

    @Test("a use with no approval before it is a break")
    func unapprovedUse() throws {
        let fixture = try EvidenceBundleFixture(drafts: [
            40: Self.approval(.approvalUse, id: 8, statement: "aa"),
            45: Self.approval(.approvalApprove, id: 8, statement: "aa"),
        ])
        defer { fixture.removeFiles() }
        #expect(
            try EvidenceBundleTamperer(directory: try fixture.write()).verify(pinned: fixture.key).problem?
                .description
                == "events.jsonl (seq 40): approval 8 was spent with no earlier approval.approve (ran unapproved)")
    }
}
