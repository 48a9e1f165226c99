import Crypto
import Foundation
import HoopCore
import Logging
import Testing

@testable import Broker

extension StoreConformanceTests {
    /// The tree the store keeps beside the events is the RFC 6962 tree of their leaves: same roots, same proofs as a
    /// tree built in memory, at every size, after concurrent appends (from several brokers where the backend is
    /// shared) and from another store on the same data.
    @Suite("the audit log and its tree")
    struct AuditLog {
        static func draft(_ actor: String, _ index: Int) -> AuditDraft {
            AuditDraft(
                actor: actor, action: AuditAction(rawValue: "t"), decision: .info, details: ["i": .int(Int64(index))])
        }

        @Test(
            "roots, audit paths and consistency proofs match a tree built in memory", arguments: StoreBackend.allCases)
        func matchesMemoryTree(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let store = try await fixture.open()
                var memory = MemoryMerkleTree()
                for index in 0..<300 {
                    let event = try await store.appendAudit(Self.draft("a", index), at: Date())
                    #expect(event.seq == Int64(index + 1))
                    memory.append(event.leafHash)
                    let head = try await store.treeHead()
                    #expect(head.size == memory.size && head.root == memory.root, "size \(memory.size)")
                }
                let reopened = try await fixture.open()
                for size in [Int64(1), 2, 3, 15, 16, 17, 255, 256, 257, 299, 300] {
                    for index in [Int64(0), size / 2, size - 1] {
                        let fromStore = try await reopened.withAuditTree { tree, _ in
                            try tree.inclusionProof(index: index, size: size)
                        }
                        #expect(
                            fromStore == (try memory.inclusionProof(index: index, size: size)), "\(index) of \(size)")
                    }
                    let consistency = try await reopened.withAuditTree { tree, _ in
                        try tree.consistencyProof(from: size, to: 300)
                    }
                    #expect(consistency == (try memory.consistencyProof(from: size, to: 300)), "\(size) to 300")
                }
                // Nodes past the log's end are missing, not invented.
                await #expect(throws: MerkleNodeMissing.self) {
                    try await reopened.withAuditTree { tree, _ in try tree.rootHash(size: 301) }
                }
                #expect(try await reopened.auditEvents(from: 299, limit: 10).map(\.seq) == [299, 300])
            }
        }

        @Test(
            "brokers appending at once leave one gapless chain whose tree covers every event",
            arguments: StoreBackend.allCases)
        func concurrentAppends(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let brokers = try await fixture.brokers(3)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for writer in 0..<6 {
                        let store = brokers[writer % brokers.count]
                        group.addTask {
                            for index in 0..<40 {
                                _ = try await store.appendAudit(Self.draft("w\(writer)", index), at: Date())
                            }
                        }
                    }
                    try await group.waitForAll()
                }
                let events = try await brokers[1].auditEvents(from: 1, limit: 1_000)
                #expect(events.map(\.seq) == Array(1...240))
                #expect(AuditLeafVerifier.verify(events) == nil)
                let root = MemoryMerkleTree(leaves: events.map(\.leafHash)).root
                for store in brokers {
                    #expect(try await store.treeHead() == TreeHead(size: 240, root: root))
                }
            }
        }

        @Test("an event edited behind the store's back is reported by verification", arguments: StoreBackend.allCases)
        func tamperDetected(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let store = try await fixture.open()
                for index in 0..<3 {
                    _ = try await store.appendAudit(Self.draft("a", index), at: Date())
                }
                try await fixture.execute("UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
                let events = try await store.auditEvents(from: 1, limit: 10)
                #expect(events[1].actor == "mallory")
                #expect(AuditLeafVerifier.verify(events)?.seq == 2)
            }
        }

        @Test("checkpoints, cosignatures, witnessed sizes and the log's origin", arguments: StoreBackend.allCases)
        func checkpoints(backend: StoreBackend) async throws {
            try await StoreFixture.with(backend) { fixture in
                let store = try await fixture.open()
                #expect(try await store.logOrigin(proposed: "log.example/a") == "log.example/a")
                #expect(try await fixture.open().logOrigin(proposed: "log.example/b") == "log.example/a")
                #expect(try await store.lastCheckpoint() == nil)
                let signer = AuditCheckpointer(
                    origin: "log.example/a", store: store, key: Curve25519.Signing.PrivateKey(), everyEvents: 1,
                    interval: 0, logger: Logger(label: "test"))
                for index in 0..<3 {
                    _ = try await store.appendAudit(Self.draft("a", index), at: Date())
                    try await signer.checkpoint(force: true)
                }
                #expect(try await store.checkpoints(fromSize: 2).map(\.checkpoint.size) == [2, 3])
                #expect(try await store.lastCheckpoint()?.checkpoint.size == 3)
                #expect(try await store.lastCosignedCheckpoint() == nil)
                let head = try await store.treeHead()
                #expect(try await store.lastCheckpoint()?.checkpoint.root == head.root)

                let witness = { (name: String) in
                    NoteSignature(name: name, keyID: [1, 2, 3, 4], payload: Array(repeating: 7, count: 72))
                }
                try await store.addCosignatures([witness("w1.example")], size: 2)
                try await store.addCosignatures([witness("w1.example"), witness("w2.example")], size: 2)
                try await store.addCosignatures([witness("w1.example")], size: 1)
                let cosigned = try #require(try await store.lastCosignedCheckpoint())
                #expect(cosigned.checkpoint.size == 2)
                #expect(cosigned.note.signatures.map(\.name).suffix(2) == ["w1.example", "w2.example"])
                #expect(cosigned.note.signatures.count == 3)
                #expect(try await store.witnessedSizes() == ["w1.example": 2, "w2.example": 2])
                await #expect(throws: StoreError.self) {
                    try await store.addCosignatures([witness("w1.example")], size: 99)
                }
            }
        }
    }
}
