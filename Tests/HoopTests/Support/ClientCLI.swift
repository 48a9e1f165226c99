import Foundation
import Testing

/// `hoopctl` as a user runs it: its own config home (token cache, pinned brokers) and environment.
struct ClientCLI: Sendable {
    let home: URL
    var environment: [String: String]

    init(broker: BrokerProcess, name: String, trustCA: Bool = true, extra: [String: String] = [:]) throws {
        home = broker.directory.appendingPathComponent("client-\(name)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        environment = ["XDG_CONFIG_HOME": home.path, "HOOP_BROKER": broker.url, "HOOP_TOKEN": "", "HOOP_CA": ""]
        if trustCA { environment["HOOP_CA"] = broker.caFile.path }
        environment.merge(extra) { $1 }
    }

    /// A client logged in with the client-credentials grant, the login asserted: by default the identity
    /// provider's built-in agent `ci-agent`, otherwise a client the test registered.
    static func loggedIn(
        _ broker: BrokerProcess,
        name: String = "agent",
        clientID: String = "ci-agent",
        secret: String = "ci-agent-secret",
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> ClientCLI {
        let cli = try ClientCLI(broker: broker, name: name, extra: ["HOOP_CLIENT_SECRET": secret])
        let login = try await cli.run(["login", "--client-id", clientID])
        #expect(login.status == 0, "\(login.stderr)", sourceLocation: sourceLocation)
        return cli
    }

    func run(_ arguments: [String], timeout: Duration = .seconds(60)) async throws
        -> (status: Int32, stdout: String, stderr: String)
    {
        try await ChildProcess.run(TestEnvironment.hoopctl, arguments, environment: environment, timeout: timeout)
    }

    func spawn(_ arguments: [String], stdin: FileHandle? = nil) throws -> ChildProcess {
        try ChildProcess(
            "hoopctl \(arguments.first ?? "")",
            executable: TestEnvironment.hoopctl,
            arguments: arguments,
            environment: environment,
            stdin: stdin
        )
    }

    /// Device-flow login, approving the printed code at the provider as `subject` with `groups`.
    func loginWithDeviceFlow(idp: IdentityProvider, subject: String, groups: [String]) async throws -> String {
        let login = try spawn(["login"])
        let shown = try await login.waitForOutput("-", timeout: .seconds(30))
        let code = try await Self.userCode(in: login, initial: shown)
        try await idp.approveDevice(userCode: code, subject: subject, email: "\(subject)@example.com", groups: groups)
        let status = try await login.waitForExit(timeout: .seconds(30))
        guard status == 0 else { throw PeerError("login exited \(status): \(login.stderr)") }
        return login.stdout + login.stderr
    }

    private static func userCode(in process: ChildProcess, initial: String) async throws -> String {
        let pattern = try Regex("[A-Z0-9]{4}-[A-Z0-9]{4}")
        var text = initial
        for _ in 0..<100 {
            if let match = text.firstMatch(of: pattern) { return String(text[match.range]) }
            try await Task.sleep(for: .milliseconds(100))
            text = process.stdout + process.stderr
        }
        throw PeerError("no user code in login output: \(text)")
    }

    /// Starts `hoopctl connect --output json` and returns the process and the local port it listens on.
    func connect(_ resource: String, extra: [String] = []) async throws -> (ChildProcess, Int, String) {
        let process = try spawn(["connect", resource, "--port", "0", "--output", "json"] + extra)
        try await process.waitForOutput("\"port\"", timeout: .seconds(30))
        let line = process.stdout.split(separator: "\n").first { $0.contains("\"port\"") } ?? ""
        guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
            let port = object["port"] as? Int, let session = object["session"] as? String
        else {
            throw PeerError("unreadable connect output: \(process.stdout)")
        }
        return (process, port, session)
    }
}
