import ArgumentParser
import Foundation
import HoopCore
import Local

/// Shell completions that ask the broker: resource names, session ids and pending approval ids, as the identity
/// logged in sees them. The shell runs these on Tab, so they never prompt (a broker not yet trusted completes
/// nothing rather than asking to pin it), give up after two seconds, and complete nothing on any failure.
enum BrokerCompletions {
    static let resources = CompletionKind.custom { words, _, prefix in
        await values(words, prefix) { try await $0.resources().map(\.name) }
    }

    static let sessions = CompletionKind.custom { words, _, prefix in
        await values(words, prefix) { try await $0.sessions(all: false).map(\.id) }
    }

    static let pendingApprovals = CompletionKind.custom { words, _, prefix in
        await values(words, prefix) { try await $0.approvals(status: .pending).map { String($0.id) } }
    }

    /// The longest a completion waits for the broker.
    static let patience: Duration = .seconds(2)

    private static func values(
        _ words: [String], _ prefix: String, _ fetch: @escaping @Sendable (BrokerClient) async throws -> [String]
    ) async -> [String] {
        let found = await withTaskGroup(of: [String]?.self) { group in
            group.addTask {
                guard let client = await client(words) else { return [] }
                return try? await fetch(client)
            }
            group.addTask {
                try? await Task.sleep(for: patience)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? []
        }
        return found.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// The broker the command line typed so far names (`--broker`, `--ca`, `--token-file`), else the environment's.
    private static func client(_ words: [String]) async -> BrokerClient? {
        func option(_ name: String) -> String? {
            guard let index = words.firstIndex(of: name), words.indices.contains(index + 1) else { return nil }
            return words[index + 1]
        }
        guard
            let configuration = try? ClientConfiguration(
                broker: option("--broker"), caFile: option("--ca"), tokenFile: option("--token-file"),
                environment: ProcessInfo.processInfo.environment, firstContactApproval: { _ in false })
        else { return nil }
        return try? await BrokerClient.connect(configuration)
    }
}
