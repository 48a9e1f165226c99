import HoopCore
import Logging
import Masking
import NIOCore
import NIOHTTP1

/// The `http` engine: each tunnel connection carries a local client's HTTP/1.1 requests (keep-alive and
/// pipelining), which an `HTTPProxy` judges and forwards one at a time. Targets are reached per request through a
/// shared connection pool, so `prepare` has nothing to dial; it reads the held credential, so a missing secret is a
/// clear refusal before the upgrade.
struct HTTPEngine: ProtocolEngine {
    let logger: Logger
    let maskers: [String: ValueMasker]

    func prepare(
        _ tunnel: AdmittedTunnel,
        connection: Int64,
        eventLoop: any EventLoop,
        reporter: ConnectionReporter
    ) async throws(BrokerError) -> any PreparedConnection {
        guard let target = tunnel.resource.target(as: HTTPTarget.self) else {
            throw BrokerError(
                .internalFailure, code: "engine_mismatch", message: "\(tunnel.resource.name) is not an http resource")
        }
        let credential: (name: String, value: String)?
        let secrets: [String]
        do {
            credential = try target.credential?.header()
            secrets = try target.credential?.secrets() ?? []
        } catch {
            throw BrokerError(
                .badGateway, code: "target_credential_missing",
                message: "the held credential of \(tunnel.resource.name) cannot be read: \(error)",
                hint: "the broker operator can check the resource's credential")
        }
        let gate = GuardrailGate(tunnel: tunnel, connection: connection, sessions: reporter.sessions)
        let judge = HTTPRequestJudge(
            rules: tunnel.resource.guardrails, caseInsensitivePaths: target.caseInsensitivePaths, flavor: target.flavor)
        let masker = tunnel.masker(from: maskers)
        let logger = self.logger
        return PreparedHTTPConnection(limit: target.maxRequestBody) { client in
            HTTPProxy(
                HTTPProxy.Parts(
                    target: target, client: client, judge: judge, gate: gate, masker: masker, reporter: reporter,
                    credential: credential, heldSecrets: secrets, logger: logger))
        }
    }
}

/// One connection whose proxy starts when the client channel is attached.
private final class PreparedHTTPConnection: PreparedConnection, @unchecked Sendable {
    private let limit: Int
    private let makeProxy: @Sendable (any Channel) -> HTTPProxy
    // Set once in `attach`, on the client's event loop, before anything reads them.
    private var proxy: HTTPProxy?
    private var client: (any Channel)?

    init(limit: Int, makeProxy: @escaping @Sendable (any Channel) -> HTTPProxy) {
        self.limit = limit
        self.makeProxy = makeProxy
    }

    func attach(client: any Channel) throws {
        let proxy = makeProxy(client)
        self.proxy = proxy
        self.client = client
        let operations = client.pipeline.syncOperations
        typealias Names = WebSocketSplice.ClientHandler
        try operations.addHandler(HTTPResponseEncoder(), name: Names.encoder)
        // An upgrade's frames wait in the decoder until the splice removes it and takes them over.
        try operations.addHandler(
            ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .forwardBytes)), name: Names.decoder)
        try operations.addHandler(HTTPServerPipelineHandler(), name: Names.pipeline)
        try operations.addHandler(HTTPRequestCollector(proxy: proxy, limit: limit), name: Names.collector)
    }

    func abandon() {}

    func finished() async -> TrafficCounts {
        guard let client else { return TrafficCounts(up: 0, down: 0) }
        try? await client.closeFuture.get()
        proxy?.ended()
        return proxy?.traffic ?? TrafficCounts(up: 0, down: 0)
    }
}
