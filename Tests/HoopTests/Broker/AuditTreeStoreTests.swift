import Foundation
import HoopCore
import Testing

@testable import Broker

/// The tree the store keeps beside the events is the RFC 6962 tree of their leaves: same roots, same proofs as a
/// tree built in memory, at every size, after concurrent appends and after reopening.
@Suite("SQLite store: the audit log's tree")
struct AuditTreeStoreTests {
    @Test("roots, audit paths and consistency proofs from the store match a tree built in memory")
    func matchesMemoryTree() async throws {
        let directory = try TestEnvironment.scratchDirectory("audit-tree")
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("broker.db")
        let store = try SQLiteStore(path: path)
        var memory = MemoryMerkleTree()
        for index in 0..<300 {
            let event = try await store.appendAudit(
                AuditDraft(
                    actor: "a", action: AuditAction(rawValue: "x"), decision: .info, details: ["i": .int(Int64(index))]),
                at: Date())
            memory.append(event.leafHash)
            let head = try await store.treeHead()
            #expect(head.size == memory.size && head.root == memory.root, "size \(memory.size)")
        }
        let reopened = try SQLiteStore(path: path)
        for size in [Int64(1), 2, 3, 15, 16, 17, 255, 256, 257, 299, 300] {
            for index in [Int64(0), size / 2, size - 1] {
                let fromStore = try await reopened.withAuditTree { tree, _ in
                    try tree.inclusionProof(index: index, size: size)
                }
                #expect(fromStore == (try memory.inclusionProof(index: index, size: size)), "leaf \(index) of \(size)")
            }
            let consistency = try await reopened.withAuditTree { tree, _ in
                try tree.consistencyProof(from: size, to: 300)
            }
            #expect(consistency == (try memory.consistencyProof(from: size, to: 300)), "\(size) to 300")
        }
    }

    @Test("concurrent appends leave one tree whose root covers every event")
    func concurrentAppends() async throws {
        let directory = try TestEnvironment.scratchDirectory("audit-tree-concurrent")
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("broker.db"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for writer in 0..<6 {
                group.addTask {
                    for index in 0..<40 {
                        _ = try await store.appendAudit(
                            AuditDraft(
                                actor: "w\(writer)", action: AuditAction(rawValue: "t"), decision: .info,
                                details: ["i": .int(Int64(index))]),
                            at: Date())
                    }
                }
            }
            try await group.waitForAll()
        }
        let events = try await store.auditEvents(from: 1, limit: 1_000)
        #expect(try await store.treeHead().root == MemoryMerkleTree(leaves: events.map(\.leafHash)).root)
    }
}
