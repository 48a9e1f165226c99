import AsyncHTTPClient
import Foundation
import HoopCore
import Witness

/// A witness as the broker sees it: something that takes a checkpoint with a consistency proof from the size it
/// last cosigned and answers per C2SP tlog-witness.
protocol CheckpointCosigner: Sendable {
    /// The witness's cosigning key; its name is the witness's name.
    var key: NoteVerifierKey { get }
    func cosign(oldSize: Int64, proof: [TreeHash], note: SignedNote) async throws -> WitnessReply
}

/// A witness reached over HTTP(S). Its answers need no transport trust — a cosignature counts only if it verifies
/// under the pinned key — but a witness that does not answer must not hold the broker up, so a refused connection
/// fails at once instead of being retried until the deadline.
struct HTTPCheckpointCosigner: CheckpointCosigner {
    static let client = HTTPClient(
        eventLoopGroupProvider: .singleton,
        configuration: {
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
            configuration.connectionPool.retryConnectionEstablishment = false
            return configuration
        }()
    )

    let url: URL
    let key: NoteVerifierKey
    var timeout: Duration = .seconds(5)

    func cosign(oldSize: Int64, proof: [TreeHash], note: SignedNote) async throws -> WitnessReply {
        try await WitnessClient(httpClient: Self.client).addCheckpoint(
            url: url, oldSize: oldSize, proof: proof, note: note, timeout: timeout)
    }
}
