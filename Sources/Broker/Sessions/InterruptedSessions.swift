import Foundation
import HoopCore

/// Sessions left active by a previous run that stopped without closing them cannot be resumed (their recorders
/// are gone); close them so their status is truthful and the log says why, and seal what their recordings
/// hold with a `session.close` like any other, so they can be exported and verified.
struct InterruptedSessions: Sendable {
    let store: any Store
    let audit: AuditLog
    let recordingsDirectory: URL

    func close(now: Date = Date()) async throws {
        for session in try await store.activeSessions() {
            let reason = "the broker stopped without closing the session"
            var details: [String: JSONValue] = ["reason": .string(reason)]
            var sealed: InterruptedRecording.Sealed?
            do {
                sealed = try InterruptedRecording.seal(
                    recordingsDirectory.appendingPathComponent("\(session.id).jsonl"),
                    details: ["note": .string(reason)])
            } catch {
                details["recording_error"] = .string(error.description)
            }
            if let sealed, sealed.tornBytes > 0 { details["recording_torn_bytes"] = .int(Int64(sealed.tornBytes)) }
            _ = try await store.endSession(
                id: session.id, status: .closed, at: now, recordingDigest: sealed?.summary.digest)
            try await audit.record(
                AuditDraft(
                    actor: "broker", action: .sessionInterrupted, resource: session.resource, session: session.id,
                    decision: .info, details: .object(details)
                )
            )
            guard let sealed else { continue }
            try await audit.record(
                AuditDraft(
                    actor: "broker", action: .sessionClose, resource: session.resource, session: session.id,
                    decision: .info,
                    details: [
                        "status": .string(SessionStatus.closed.rawValue), "note": .string("interrupted: \(reason)"),
                        "recording_digest": .string(sealed.summary.digest),
                        "recording_events": .int(sealed.summary.events),
                    ]
                )
            )
        }
    }
}
