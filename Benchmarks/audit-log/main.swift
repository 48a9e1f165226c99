import Broker
import Foundation
import GRDB
import HoopCore

// Audit log throughput and proof sizes (bench/audit-log runs this on a release build).
//
// Appends: the broker's store (`SQLiteStore.appendAudit`: event row + leaf hash + the tree nodes it completes)
// against the previous format's append reproduced here (event row + SHA-256 chain link), in alternating batches
// on the same disk, so both see the same machine state. Proofs: inclusion and consistency proofs read from the
// store, and their sizes in a tree of a million leaves.

let arguments = CommandLine.arguments
let appends = arguments.count > 1 ? Int(arguments[1]) ?? 20_000 : 20_000
let bigTree = arguments.count > 2 ? Int64(arguments[2]) ?? 1_000_000 : 1_000_000
let batch = 500
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("audit-log-bench-\(UUID().uuidString)")
try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: directory) }

/// The hash-chain append the log replaced: read the head, link, insert.
struct ChainStore {
    let pool: DatabasePool

    init(path: URL) throws {
        var configuration = Configuration()
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        pool = try DatabasePool(path: path.path, configuration: configuration)
        try pool.write { db in
            try db.execute(
                sql: """
                    CREATE TABLE audit_events (seq INTEGER PRIMARY KEY, time TEXT, actor TEXT, action TEXT,
                        resource TEXT, session TEXT, decision TEXT, details TEXT, prev TEXT, hash TEXT UNIQUE)
                    """)
        }
    }

    func append(_ draft: AuditDraft, at time: Date) async throws {
        try await pool.write { db in
            let head = try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1")
            let seq: Int64 = (head?["seq"] ?? 0) + 1
            let prev: String = head?["hash"] ?? HashChain.genesis
            let event = AuditEvent(
                seq: seq, time: Timestamp.format(time), actor: draft.actor, action: draft.action.rawValue,
                resource: draft.resource, session: draft.session, decision: draft.decision, details: draft.details)
            let hash = HashChain.link(prev: prev, body: event.hashedBody)
            try db.execute(
                sql: "INSERT INTO audit_events VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    seq, event.time, event.actor, event.action, event.resource, event.session,
                    event.decision.rawValue, CanonicalJSON.string(event.details), prev, hash,
                ])
        }
    }
}

func draft(_ n: Int) -> AuditDraft {
    AuditDraft(
        actor: "agent@example.com", action: .connectionOpen, resource: "pg-prod", session: "ses_\(n % 97)",
        decision: .allow, details: ["peer": "127.0.0.1:5432", "n": .int(Int64(n))])
}

func seconds(_ body: () async throws -> Void) async rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try await body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let tree = try SQLiteStore(path: directory.appendingPathComponent("tree.db"))
let chain = try ChainStore(path: directory.appendingPathComponent("chain.db"))
var treeTime = 0.0
var chainTime = 0.0
var written = 0
while written < appends {
    treeTime += try await seconds {
        for n in written..<(written + batch) { _ = try await tree.appendAudit(draft(n), at: Date()) }
    }
    chainTime += try await seconds {
        for n in written..<(written + batch) { try await chain.append(draft(n), at: Date()) }
    }
    written += batch
}

let head = try await tree.treeHead()
var inclusionTime = 0.0
var consistencyTime = 0.0
let probes = 1_000
for probe in 0..<probes {
    let index = Int64(probe * 7_919) % head.size
    inclusionTime += try await seconds {
        _ = try await tree.withAuditTree { source, size in try source.inclusionProof(index: index, size: size) }
    }
    consistencyTime += try await seconds {
        _ = try await tree.withAuditTree { source, size in try source.consistencyProof(from: index + 1, to: size) }
    }
}

var memory = MemoryMerkleTree()
let buildTime = await seconds {
    for n in 0..<bigTree { memory.append(TreeHash.leaf(Array("event \(n)".utf8))) }
}
var longestInclusion = 0
var totalInclusion = 0
var longestConsistency = 0
let samples = 2_000
for sample in 0..<samples {
    let index = Int64(sample) * (bigTree / Int64(samples))
    let path = try memory.inclusionProof(index: index, size: bigTree)
    longestInclusion = max(longestInclusion, path.count)
    totalInclusion += path.count
    let proof = try memory.consistencyProof(from: index + 1, to: bigTree)
    longestConsistency = max(longestConsistency, proof.count)
}
let proofJSON = InclusionProof(
    event: AuditEvent(
        seq: bigTree / 2, time: Timestamp.format(Date()), actor: "agent@example.com", action: "connection.open",
        resource: "pg-prod", session: "ses_1", decision: .allow, details: ["peer": "127.0.0.1:5432"]),
    treeSize: bigTree, path: try memory.inclusionProof(index: bigTree / 2 - 1, size: bigTree),
    checkpoint: SignedNote(
        text: TreeCheckpoint(origin: "bench/log", size: bigTree, root: memory.root).body, signatures: []))

print("| measure | value |")
print("| --- | --- |")
print(
    "| appends, transparency log (event + leaf + tree nodes, one transaction each) | \(Int(Double(appends) / treeTime)) /s |"
)
print("| appends, previous hash chain (event + chain link) | \(Int(Double(appends) / chainTime)) /s |")
print("| ratio log / chain | \(String(format: "%.2f", chainTime / treeTime))× |")
let storedNodes = stride(from: 4, to: 63, by: 4).reduce(Int64(0)) { $0 + (head.size >> Int64($1)) }
print(
    "| tree node rows stored per event (levels 4, 8, 12, ...) | "
        + "\(String(format: "%.3f", Double(storedNodes) / Double(head.size))) |")
print(
    "| inclusion proof from the store, \(head.size) events | \(String(format: "%.0f", inclusionTime / Double(probes) * 1e6)) µs |"
)
print(
    "| consistency proof from the store, \(head.size) events | \(String(format: "%.0f", consistencyTime / Double(probes) * 1e6)) µs |"
)
print("| tree of \(bigTree) leaves built in memory | \(String(format: "%.2f", buildTime)) s |")
print(
    "| inclusion path at \(bigTree) leaves: longest / mean | \(longestInclusion) / \(String(format: "%.1f", Double(totalInclusion) / Double(samples))) hashes (\(longestInclusion * 32) bytes raw) |"
)
print(
    "| consistency proof at \(bigTree) leaves: longest | \(longestConsistency) hashes (\(longestConsistency * 32) bytes raw) |"
)
print("| `audit prove` JSON at \(bigTree) leaves (unsigned note) | \(proofJSON.json.count) bytes |")
print(
    "| compact range standing for the first \(bigTree - 1) leaves | \(MerkleMath.compactRange(count: bigTree - 1).count) subtrees |"
)
