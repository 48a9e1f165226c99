import Foundation
import Logging
import Synchronization
import Testing

@testable import Broker

/// The store implementations every store test runs against.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    case postgres

    /// Backends several brokers can share (each test opens one store per broker on the same data).
    static let shared: [StoreBackend] = [.postgres]

    var testDescription: String { rawValue }
}

/// One test's fresh, empty store data: a new SQLite file, or a new database on the suite's PostgreSQL server.
/// `open()` gives a store on that data as one more broker would (its own pool and listener for PostgreSQL); every
/// store opened is closed and the data removed when the test ends.
final class StoreFixture: Sendable {
    let backend: StoreBackend
    private let location: Location
    private let opened = Mutex<[any Store]>([])

    private enum Location {
        case file(URL)
        case database(server: PostgresServer, name: String)
    }

    private init(backend: StoreBackend, location: Location) {
        self.backend = backend
        self.location = location
    }

    static func with<Result>(_ backend: StoreBackend, _ body: (StoreFixture) async throws -> Result) async throws
        -> Result
    {
        let fixture: StoreFixture
        switch backend {
        case .sqlite:
            let directory = try TestEnvironment.scratchDirectory("store")
            fixture = StoreFixture(backend: backend, location: .file(directory.appendingPathComponent("broker.db")))
        case .postgres:
            let server = try #require(SharedPostgres.server, "the suite needs the .sharedPostgres trait")
            let name = "store_\(UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: ""))"
            let created = try await PostgresServer.psql(port: server.port, ["-c", "CREATE DATABASE \(name)"])
            #expect(created.status == 0, "\(created.stderr)")
            fixture = StoreFixture(backend: backend, location: .database(server: server, name: name))
        }
        do {
            let result = try await body(fixture)
            await fixture.tearDown()
            return result
        } catch {
            await fixture.tearDown()
            throw error
        }
    }

    /// Settings of a broker on this fixture's PostgreSQL database: TLS verified against the test server's own CA.
    var postgresConfig: PostgresStoreConfig? {
        guard case .database(let server, let name) = location else { return nil }
        return PostgresStoreConfig(
            host: "127.0.0.1", port: server.port, user: "hoop_scram", database: name, tls: .verifyFull,
            caFile: server.directory.appendingPathComponent("ca.pem"), maxConnections: 4)
    }

    /// A store on the fixture's data, as one more broker would open it.
    func open() async throws -> any Store {
        let store: any Store
        switch location {
        case .file(let path):
            store = try SQLiteStore(path: path)
        case .database:
            var logger = Logger(label: "test.store")
            logger.logLevel = .warning
            store = try await PostgresStore(
                config: postgresConfig!, password: PostgresServer.password, logger: logger)
        }
        opened.withLock { $0.append(store) }
        return store
    }

    /// `count` brokers on the data: separate stores where the backend is shared, else the one store `count` times
    /// (the embedded store serves one broker, whose tasks race on it).
    func brokers(_ count: Int) async throws -> [any Store] {
        guard StoreBackend.shared.contains(backend) else {
            let store = try await open()
            return Array(repeating: store, count: count)
        }
        var stores: [any Store] = []
        for _ in 0..<count { stores.append(try await open()) }
        return stores
    }

    /// Runs SQL on the data behind the store's back (an operator or attacker with database access); returns the
    /// unaligned output.
    @discardableResult
    func execute(_ sql: String) async throws -> String {
        let result: (status: Int32, stdout: String, stderr: String)
        switch location {
        case .file(let path):
            result = try await ChildProcess.run("/usr/bin/sqlite3", [path.path, sql])
        case .database(let server, let name):
            result = try await PostgresServer.psql(port: server.port, ["-c", sql], database: name)
        }
        guard result.status == 0 else { throw PeerError("SQL failed: \(result.stderr)") }
        return result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func tearDown() async {
        for store in opened.withLock({ $0 }) { await store.close() }
        switch location {
        case .file(let path):
            try? FileManager.default.removeItem(at: path.deletingLastPathComponent())
        case .database(let server, let name):
            _ = try? await PostgresServer.psql(port: server.port, ["-c", "DROP DATABASE \(name) WITH (FORCE)"])
        }
    }
}

/// One PostgreSQL server for a whole suite, started when the suite starts and stopped when it ends; every test
/// still gets a database of its own (`StoreFixture`), so tests stay independent and may run in parallel.
struct SharedPostgres: SuiteTrait, TestScoping {
    @TaskLocal static var server: PostgresServer?

    var isRecursive: Bool { false }

    func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        try await PostgresServer.with { server in
            try await Self.$server.withValue(server) { try await function() }
        }
    }
}

extension Trait where Self == SharedPostgres {
    static var sharedPostgres: Self { SharedPostgres() }
}

/// Waits up to `seconds` for the first change on `stream` matching `wanted`. A wait that times out cancels its
/// consumer, which ends an `AsyncStream` for good: only the last wait on a stream may expect nothing.
func firstChange(
    _ stream: AsyncStream<StoreChange>, within seconds: Double = 5,
    where wanted: @escaping @Sendable (StoreChange) -> Bool
) async -> StoreChange? {
    await withTaskGroup(of: StoreChange?.self) { group in
        group.addTask {
            for await change in stream where wanted(change) { return change }
            return nil
        }
        group.addTask {
            try? await Task.sleep(for: .seconds(seconds))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
