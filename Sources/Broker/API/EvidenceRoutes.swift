import Foundation
import HoopCore
import Hummingbird

/// `GET /v1/audit/export` (a tar stream of the bundle's files, `BundleStreamWriter`) and `GET /v1/audit/proof/{seq}`
/// (auditors and admins), and `GET /v1/sessions/{id}/recording` (the session's owner, auditors and admins).
struct EvidenceRoutes: Sendable {
    let authenticator: Authenticator
    let evidence: EvidenceService

    func register(on router: Router<BrokerRequestContext>) {
        router.get(RouterPath(APIPath.auditExport)) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let query = request.uri.queryParameters
            let filter = EvidenceFilter(
                actor: query.get("user"),
                resource: query.get("resource"),
                session: query.get("session"),
                since: try Self.timestamp(query.get("since"), "since"),
                until: try Self.timestamp(query.get("until"), "until")
            )
            let bundle = try await apiCall { () async throws(BrokerError) in
                try await evidence.export(filter, by: principal)
            }
            let stream = BundleStreamWriter(bundle: bundle, evidence: evidence, logger: context.logger)
            return Response(
                status: .ok,
                headers: [.contentType: "application/x-tar"],
                body: ResponseBody { writer in
                    try await stream.write { try await writer.write($0) }
                    try await writer.finish(nil)
                }
            )
        }
        router.get(RouterPath("\(APIPath.auditProof)/:seq")) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let text = try context.parameters.require("seq")
            guard let seq = Int64(text) else {
                throw APIError(
                    BrokerError(.badRequest, code: "bad_seq", message: "\(text) is not an audit event number"))
            }
            let proof = try await apiCall { () async throws(BrokerError) in
                try await evidence.inclusionProof(seq: seq, by: principal)
            }
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: .init(byteBuffer: ByteBuffer(bytes: proof.json)))
        }
        router.get(RouterPath("\(APIPath.sessions)/:id/recording")) { request, context in
            let principal = try await authenticator.principal(for: request, context: context)
            let id = try context.parameters.require("id")
            let opened = try await apiCall { () async throws(BrokerError) in
                try await evidence.openRecording(id, for: principal)
            }
            // Streamed a page at a time: a failure after the head has gone out cuts the body short, which the
            // client reports (and its hash-chain check would catch).
            return Response(
                status: .ok,
                headers: [.contentType: "application/x-ndjson"],
                body: ResponseBody { writer in
                    var opened = opened
                    while let page = try await opened.next() { try await writer.write(ByteBuffer(bytes: page)) }
                    try await writer.finish(nil)
                }
            )
        }
    }

    /// Filters compare RFC 3339 text, so every bound is normalized to the broker's own form first.
    private static func timestamp(_ text: String?, _ name: String) throws -> String? {
        guard let text, !text.isEmpty else { return nil }
        guard let date = Timestamp.parse(text) else {
            throw APIError(
                BrokerError(
                    .badRequest, code: "bad_time", message: "\(name) must be an RFC 3339 time, got \(text)",
                    hint: "e.g. 2026-11-21T00:00:00Z"))
        }
        return Timestamp.format(date)
    }
}
