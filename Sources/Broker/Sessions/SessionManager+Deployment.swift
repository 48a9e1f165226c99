import Foundation
import HoopCore
import Logging
import NIOCore

/// What a verified grant brings to a broker that did not issue it: the session's client login, opened from the grant.
struct SessionJoin: Sendable {
    var clientSecret: String?
}

// MARK: Several brokers on one store

extension SessionManager {
    /// Makes a session another broker granted live here: its tunnels landed on this broker (a load balancer spreads
    /// them), so this broker records them in a segment of its own and says so in the log before any byte flows.
    func join(_ session: SessionRecord, _ joining: SessionJoin, now: Date) async throws(BrokerError) -> LiveSession {
        let name = deployment.segmentName(session: session.id)
        let metadata: [String: JSONValue] = [
            "session": .string(session.id), "resource": .string(session.resource),
            "type": .string(session.resourceType.rawValue), "broker": .string(deployment.brokerID),
            "joined": .string(Timestamp.format(now)),
        ]
        let entry: LiveSession
        do {
            let recorder = try SessionRecorder(
                directory: recordingsDirectory, sessionID: name, metadata: .object(metadata))
            entry = LiveSession(
                recorder: recorder, clientPassword: joining.clientSecret, recording: name,
                shipper: shipper(for: recorder, session: session.id))
        } catch {
            throw BrokerError(
                .unavailable, code: "recording_unavailable",
                message: "the broker cannot record session \(session.id): \(error)",
                hint: "ask the operator to check the broker's data directory")
        }
        // Live before the audit's await, so a second tunnel arriving meanwhile joins this segment, not a new one.
        live.start(session.id, entry)
        do {
            try await auditor.record(
                "broker", .sessionJoin, session.resource, session.id, .info,
                [
                    "broker": .string(deployment.brokerID), "broker_name": .string(deployment.name),
                    "recording": .string(name), "owner": JSONValue(session.owner),
                ])
        } catch {
            let ended = live.end(session.id)
            for channel in ended.channels { channel.close(promise: nil) }
            _ = try? ended.session?.recorder.finish(details: ["note": "the join could not be audited"])
            throw error
        }
        return entry
    }

    /// Seals this broker's segment of a session that goes on (or already ended) elsewhere: closes its tunnels here,
    /// ends the recording and binds it to the log with `recording.seal`.
    func releaseSegment(_ id: String, now: Date, note: String) async throws(BrokerError) {
        guard let segment = await closeLive(id, endDetails: ["note": .string(note)]) else { return }
        var details = segment.sealDetails
        details["recording"] = .string(segment.recording)
        details["note"] = .string(note)
        let resource = (try? await store.session(id: id))?.resource
        try await auditor.record("broker", .recordingSeal, resource, id, .info, .object(details))
    }

    /// Another broker ended a session this broker is serving too (told by the store's change feed, or found by the
    /// sweep): its tunnels here close at once, so a revoke through any broker takes effect everywhere.
    func endedElsewhere(_ id: String, now: Date = Date()) async {
        guard live.entry(id) != nil else { return }
        guard let stored = try? await store.session(id: id), stored.status != .active else { return }
        do {
            try await releaseSegment(id, now: now, note: "the session ended: \(stored.status.rawValue)")
        } catch {
            logger.error("cannot seal a recording segment", metadata: ["session": "\(id)", "error": "\(error)"])
        }
    }

    /// The sweep's fallback for a change feed that missed something: every live session the store no longer holds
    /// active is released.
    func reconcile(active: [SessionRecord], now: Date) async {
        let activeIDs = Set(active.map(\.id))
        for id in live.ids where !activeIDs.contains(id) {
            await endedElsewhere(id, now: now)
        }
    }

    /// Takes over the active sessions of brokers that stopped without closing them (killed, or their host lost):
    /// exactly one surviving broker wins each (`Store.transferSession`), says in the log that the session was
    /// interrupted on the dead broker, and from then on owns it — the session stays open, so its clients carry on
    /// through any broker with the grant they hold.
    ///
    /// `active` is the store's active sessions when the caller has just read them (the sweep has).
    func takeOverOrphans(among active: [SessionRecord]? = nil, now: Date = Date()) async throws {
        guard deployment.shared else { return }
        let brokers = try await store.brokers(limit: 10_000)
        let alive = deployment.alive(among: brokers, now: now)
        let names = Dictionary(brokers.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let sessions: [SessionRecord]
        if let active { sessions = active } else { sessions = try await store.activeSessions() }
        for session in sessions {
            let owner = session.owner
            guard owner != deployment.brokerID, !(owner.map(alive.contains) ?? false) else { continue }
            guard try await store.transferSession(id: session.id, from: owner, to: deployment.brokerID) else {
                continue
            }
            let reason = "broker \(owner.flatMap { names[$0] } ?? owner ?? "unknown") stopped answering"
            try await audit.record(
                AuditDraft(
                    actor: "broker", action: .sessionInterrupted, resource: session.resource, session: session.id,
                    decision: .info,
                    details: [
                        "reason": .string(reason), "previous_owner": JSONValue(owner),
                        "taken_over_by": .string(deployment.brokerID), "recording": .string(session.id),
                    ]))
            await sealDeadSegments(of: session, only: [session.id], alive: alive, now: now)
        }
    }
}

// MARK: Recording segments in the shared archive

/// A live recording segment this broker has just closed, and what its seal says of it.
struct ClosedSegment: Sendable {
    var recording: String
    var summary: RecordingSummary?
    /// Why the recording could not be finished, when it could not.
    var problem: String?

    /// The digest and event count a `session.close` or `recording.seal` binds, or the reason there are none.
    var sealDetails: [String: JSONValue] {
        var details: [String: JSONValue] = [:]
        if let summary {
            details["recording_digest"] = .string(summary.digest)
            details["recording_events"] = .int(summary.events)
        }
        if let problem { details["recording_error"] = .string(problem) }
        return details
    }
}

extension SessionManager {
    /// Forgets session `id` here: closes its tunnels, writes its recording's `end` with `endDetails` and copies
    /// what is left to the archive. Nil when it was not live on this broker.
    func closeLive(_ id: String, endDetails: JSONValue) async -> ClosedSegment? {
        let ended = live.end(id)
        for channel in ended.channels { channel.close(promise: nil) }
        guard let segment = ended.session else { return nil }
        var closed = ClosedSegment(recording: segment.recording)
        do {
            closed.summary = try segment.recorder.finish(details: endDetails)
        } catch {
            closed.problem = error.description
        }
        await ship(segment.shipper, final: true)
        return closed
    }

    /// Copies what a segment's recorder wrote since the last shipment to the archive. A failure is logged and, for a
    /// segment that has ended (`final`), kept for the sweep to retry: the bytes are safe in this broker's spool and
    /// reach the archive once it answers again.
    func ship(_ shipper: RecordingShipper?, final: Bool = false) async {
        guard let shipper else { return }
        do {
            try await shipper.ship()
        } catch {
            logger.error(
                "cannot copy a recording to the shared archive",
                metadata: ["recording": "\(shipper.name)", "error": "\(error)"])
            if final { unshipped.append(shipper) }
        }
    }

    /// Retries the final shipments that failed.
    func retryUnshipped() async {
        let pending = unshipped
        unshipped = []
        for shipper in pending { await ship(shipper, final: true) }
    }

    /// A shipper for a new segment, when the deployment has a shared archive.
    func shipper(for recorder: SessionRecorder, session: String) -> RecordingShipper? {
        archive.map { RecordingShipper(recorder: recorder, session: session, archive: $0) }
    }

    /// Seals, from the archive, the segments of `session` written by brokers that died before sealing them — the
    /// owner's own when its session is taken over, the others' when the session closes. The broker that won the
    /// session's transfer or its close does it, so each is sealed once; a segment whose copy already ends is left
    /// to the broker that ended it.
    /// `alive` is the running brokers' ids when the caller has just read them.
    func sealDeadSegments(
        of session: SessionRecord, only names: Set<String>? = nil, alive known: Set<String>? = nil, now: Date
    ) async {
        guard deployment.shared, let archive else { return }
        do {
            let alive: Set<String>
            if let known {
                alive = known
            } else {
                alive = deployment.alive(among: try await store.brokers(limit: 10_000), now: now)
            }
            for name in try await archive.segments(of: session.id) where names?.contains(name) ?? true {
                // The session's own segment was written by its owner; a joined one names its broker.
                let writer = name == session.id ? session.owner : String(name.dropFirst(session.id.count + 1))
                guard writer != deployment.brokerID, !(writer.map(alive.contains) ?? false) else { continue }
                guard let bytes = try await archive.segment(name), !Self.endsSealed(bytes) else { continue }
                let reason = "the broker that wrote it stopped answering"
                let sealed = try await InterruptedRecording.seal(
                    name, session: session.id, in: archive, details: ["note": .string(reason)])
                var details: [String: JSONValue] = [
                    "recording": .string(name), "note": .string(reason),
                    "recording_digest": .string(sealed.summary.digest), "recording_events": .int(sealed.summary.events),
                ]
                if sealed.tornBytes > 0 { details["recording_torn_bytes"] = .int(Int64(sealed.tornBytes)) }
                try await auditor.record(
                    "broker", .recordingSeal, session.resource, session.id, .info, .object(details))
            }
        } catch {
            logger.error(
                "cannot seal a dead broker's recording segments",
                metadata: ["session": "\(session.id)", "error": "\(error)"])
        }
    }

    /// Whether the segment's last whole event is its `end`: its writer finished it, and sealed it or will.
    private static func endsSealed(_ bytes: [UInt8]) -> Bool {
        guard let newline = bytes.lastIndex(of: UInt8(ascii: "\n")),
            let last = try? RecordingFile.events(in: Array(bytes[...newline])).last
        else { return false }
        return last.kind == .end
    }
}
