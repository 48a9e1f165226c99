import HoopCore
import Testing

@testable import Broker

/// Where an export starts when another broker sealed its segment of a session before the filter's `since`.
@Suite("Export boundary")
struct ExportBoundaryTests {
    static func event(_ seq: Int64, _ time: String, _ action: AuditAction, session: String? = nil) -> AuditEvent {
        AuditEvent(
            seq: seq, time: time, actor: "broker", action: action.rawValue, resource: "pg", session: session,
            decision: .info, details: [:])
    }

    static let events = [
        event(1, "2026-11-21T09:00:00.000Z", .sessionGrant, session: "ses_a"),
        event(2, "2026-11-21T09:10:00.000Z", .recordingSeal, session: "ses_a"),
        event(3, "2026-11-21T09:20:00.000Z", .recordingSeal, session: "ses_b"),
        event(4, "2026-11-21T10:00:00.000Z", .brokerStart),
        event(5, "2026-11-21T10:30:00.000Z", .sessionClose, session: "ses_a"),
    ]

    @Test("a segment sealed before `since` of a session the export shows moves the start to its seal")
    func sealBeforeSince() {
        let filter = EvidenceFilter(since: "2026-11-21T10:00:00.000Z")
        #expect(ExportBoundary.leavesBefore(Self.events, filter: filter, witnessedSize: nil) == 1)
    }

    @Test("seals of sessions the export does not show leave the start where `since` puts it")
    func otherSessionsSeals() {
        let filter = EvidenceFilter(since: "2026-11-21T10:00:00.000Z", until: "2026-11-21T10:10:00.000Z")
        #expect(ExportBoundary.leavesBefore(Self.events, filter: filter, witnessedSize: nil) == 3)
    }
}
