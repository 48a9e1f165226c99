import Foundation

/// What the end-to-end suites of `http` resources share: the JSON API of `testing/http-api` behind a held bearer
/// token, its request log read directly (never through the broker), and curl against the broker's local port.
protocol HTTPAPITest {
    /// The bearer the API requires and only the broker holds.
    static var apiToken: String { get }
}

extension HTTPAPITest {
    static func withAPI(_ body: (Int, ChildProcess) async throws -> Void) async throws {
        let (api, port) = try await ReadyPeer.start(
            "http api", script: "testing/http-api/api.py", ["--require-bearer", apiToken])
        defer { api.signal(SIGKILL) }
        try await body(port, api)
    }

    /// Every request line the API has read, as `METHOD target`.
    static func apiRequests(_ port: Int) async throws -> [String] {
        let log = try await curl(["-H", "Authorization: Bearer \(apiToken)", "http://127.0.0.1:\(port)/_peer/requests"])
        let entries = try JSONSerialization.jsonObject(with: Data(log.utf8)) as? [[String: Any]] ?? []
        return entries.map { "\($0["method"] ?? "") \($0["target"] ?? "")" }
    }

    /// Empties the API's request log.
    static func resetAPIRequests(_ port: Int) async throws {
        _ = try await curl(["-X", "POST", "http://127.0.0.1:\(port)/_peer/reset"])
    }

    static func curl(_ arguments: [String]) async throws -> String {
        try await ChildProcess.run("/usr/bin/curl", ["-sS", "--max-time", "30"] + arguments, timeout: .seconds(40))
            .stdout
    }

    static func curlStatus(_ arguments: [String]) async throws -> Int {
        let out = try await curl(["-o", "/dev/null", "-w", "%{http_code}"] + arguments)
        return Int(out) ?? -1
    }

    static func curlJSON(_ arguments: [String]) async throws -> [String: Any] {
        let out = try await curl(arguments)
        return (try? JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any]) ?? ["raw": out]
    }
}
