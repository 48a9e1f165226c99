import Foundation
import HoopCore
import Witness

/// A witness with a fresh store in its own temporary directory, trusting the given logs.
final class WitnessFixture: Sendable {
    let directory: URL
    let identity: WitnessIdentity
    let store: WitnessStore
    let service: WitnessService

    init(trusting logs: [NoteVerifierKey]) throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("witness-\(UUID().uuidString)")
        let dataDir = WitnessDataDir(directory)
        identity = try dataDir.createIdentity(name: "witness.example/w1")
        store = try WitnessStore(path: dataDir.storeFile)
        service = WitnessService(identity: identity, logs: try TrustedLogs(logs), store: store)
    }

    deinit {
        try? FileManager.default.removeItem(at: directory)
    }

    func submit(_ request: AddCheckpointRequest) async throws -> AddCheckpointOutcome {
        try await service.addCheckpoint(body: request.body)
    }

    func submit(body: String) async throws -> AddCheckpointOutcome {
        try await service.addCheckpoint(body: Array(body.utf8))
    }

    /// The cosignature line of a 200, failing the test on anything else.
    func cosign(_ request: AddCheckpointRequest) async throws -> NoteSignature {
        let outcome = try await submit(request)
        guard case .cosigned(let line) = outcome else {
            throw FixtureError("expected a cosignature, got \(outcome)")
        }
        return line
    }

    /// The refusal of a non-200, failing the test on a cosignature.
    func refusal(_ request: AddCheckpointRequest) async throws -> AddCheckpointRefusal {
        try Self.refusal(of: try await submit(request))
    }

    func refusal(body: String) async throws -> AddCheckpointRefusal {
        try Self.refusal(of: try await submit(body: body))
    }

    static func refusal(of outcome: AddCheckpointOutcome) throws -> AddCheckpointRefusal {
        guard case .refused(let refusal) = outcome else {
            throw FixtureError("expected a refusal, got \(outcome)")
        }
        return refusal
    }
}

struct FixtureError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
