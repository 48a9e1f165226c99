import Foundation
import HoopCore
import Hummingbird
import Logging

/// `GET /sessions/{id}` and `GET /sessions/{id}/replay`: who, where, when, the statements, and the replay, for the
/// same people `hoopctl replay` serves (the session's owner, auditors and admins); anyone else is told there is no
/// such session, as the API tells them.
struct WebSessionPages: Sendable {
    let config: BrokerConfig
    let evidence: EvidenceService
    let store: any Store
    let sessions: WebSessions
    let logger: Logger

    func register(on router: Router<BrokerRequestContext>) {
        router.get("/sessions/:id") { request, context in
            guard let session = sessions.current(request) else { return WebRoutes.toLogin(request) }
            guard let record = try await visibleSession(context.parameters.get("id"), to: session) else {
                return WebRoutes.notFound(session)
            }
            var statements: [String] = []
            var problem: String?
            switch await recording(record.id, for: session) {
            case .success(let events):
                statements = events.filter { $0.kind == .query }.compactMap {
                    ($0.details["sql"] ?? $0.details["command"] ?? $0.details["target"])?.stringValue
                }
            case .failure(let error):
                problem = error.message
            }
            let view = WebSessionView(record, statements: statements, recordingProblem: problem)
            return WebPage.render(.session, view, title: "Session \(record.id)", chrome: WebChrome(session))
        }
        router.get("/sessions/:id/replay") { request, context in
            guard let session = sessions.current(request) else { return WebRoutes.toLogin(request) }
            guard let record = try await visibleSession(context.parameters.get("id"), to: session) else {
                return WebRoutes.notFound(session)
            }
            switch await recording(record.id, for: session) {
            case .success(let events):
                let view = WebReplayView(id: record.id, text: await WebReplayText.render(events))
                return WebPage.render(.replay, view, title: "Replay of \(record.id)", chrome: WebChrome(session))
            case .failure(let error):
                return WebPage.problem("No replay", error.message, chrome: WebChrome(session), status: .notFound)
            }
        }
    }

    private func visibleSession(_ id: String?, to session: WebSession) async throws -> SessionRecord? {
        guard let id else { return nil }
        let record: SessionRecord?
        do {
            record = try await store.session(id: id)
        } catch {
            throw APIError(.storeUnavailable(error, logger: logger))
        }
        guard let record, AccessPolicy.mayReplay(record, by: session.principal, config: config) else { return nil }
        return record
    }

    /// The recording's events, its hash chain verified (`RecordingFile`), as `hoopctl replay` reads them.
    private func recording(_ id: String, for session: WebSession) async -> Result<[RecordingEvent], BrokerError> {
        do {
            let bytes = try await evidence.recording(id, for: session.principal)
            do {
                return .success(try RecordingFile.events(in: bytes))
            } catch {
                return .failure(
                    BrokerError(
                        .internalFailure, code: "recording_unverified",
                        message: "the recording does not verify: \(error)"))
            }
        } catch {
            return .failure(error)
        }
    }
}
