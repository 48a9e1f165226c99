import Foundation
import HoopCore

/// Real MySQL drivers as applications use them, and as a hostile client abuses them: `testing/mysql-clients/steps.py`
/// runs a list of steps over one connection with PyMySQL or mysql-connector-python and reports every outcome.
enum MySQLDriverScript {
    private static let script = TestEnvironment.repositoryRoot.appendingPathComponent(
        "testing/mysql-clients/steps.py"
    ).path

    /// Which driver speaks for the client.
    enum Driver: String, CaseIterable, Sendable {
        case pymysql
        /// mysql-connector-python in pure Python.
        case connectorPure = "connector-pure"
        /// mysql-connector-python with its C extension (libmysqlclient's protocol code).
        case connectorC = "connector-c"
    }

    /// Where and as whom the driver logs in.
    struct Login: Sendable {
        var port: Int
        var user: String
        var password: String
        var database = "testdb"
        /// The character set the driver announces in its handshake.
        var characterSet = "utf8mb4"

        /// The session login `hoopctl connect` prints.
        static func session(port: Int, password: String, characterSet: String = "utf8mb4") -> Login {
            Login(port: port, user: "hoop", password: password, characterSet: characterSet)
        }

        /// The held login itself, straight to the target (what "direct" means in comparisons).
        static func direct(port: Int) -> Login {
            Login(port: port, user: MariaDBServer.User.native.rawValue, password: MariaDBServer.password)
        }
    }

    /// One thing the client does; the script's step format.
    struct Step: Sendable, CustomStringConvertible {
        let json: JSONValue
        let description: String

        /// COM_QUERY through the driver's cursor; `parameters` are substituted client-side (`%s`).
        static func query(_ sql: String, _ parameters: [JSONValue]? = nil) -> Step {
            var json: [String: JSONValue] = ["query": .string(sql)]
            if let parameters { json["params"] = .array(parameters) }
            return Step(json: .object(json), description: sql)
        }

        /// COM_QUERY carrying exactly these bytes (PyMySQL only).
        static func raw(_ bytes: [UInt8], _ description: String) -> Step {
            Step(json: ["raw": .string(hex(bytes))], description: description)
        }

        /// Any command byte and payload, read to its OK, EOF or ERR (PyMySQL only).
        static func command(_ code: UInt8, _ payload: [UInt8] = [], _ description: String) -> Step {
            Step(json: ["command": .int(Int64(code)), "payload": .string(hex(payload))], description: description)
        }

        /// COM_STMT_PREPARE and COM_STMT_EXECUTE (mysql-connector only).
        static func prepared(_ sql: String, _ parameters: [JSONValue] = []) -> Step {
            Step(json: ["prepared": .string(sql), "params": .array(parameters)], description: "prepared: \(sql)")
        }

        /// COM_INIT_DB.
        static func selectDatabase(_ name: String) -> Step {
            Step(json: ["select_db": .string(name)], description: "COM_INIT_DB \(name)")
        }

        /// COM_CHANGE_USER (mysql-connector only).
        static func changeUser(_ user: String, password: String) -> Step {
            Step(
                json: ["change_user": .string(user), "password": .string(password)],
                description: "COM_CHANGE_USER \(user)")
        }

        private static func hex(_ bytes: [UInt8]) -> String {
            bytes.map { String(format: "%02x", $0) }.joined()
        }
    }

    /// What one step returned: result sets, or the error the client saw.
    struct Outcome: Sendable, Equatable, CustomStringConvertible {
        let json: JSONValue

        var error: JSONValue? { json["error"] }
        var errorNumber: Int64? { error?["number"]?.intValue }
        var errorMessage: String { error?["message"]?.stringValue ?? "" }
        var succeeded: Bool { error == nil }
        var description: String {
            (try? String(decoding: JSONEncoder().encode(json), as: UTF8.self)) ?? "\(json)"
        }
    }

    /// Runs `steps` over one connection and returns one outcome per step.
    static func run(_ driver: Driver, _ login: Login, _ steps: [Step]) async throws -> [Outcome] {
        let input = try JSONEncoder().encode(JSONValue.array(steps.map(\.json)))
        let file = try TestEnvironment.scratchDirectory("mysql-steps").appendingPathComponent("steps.json")
        try input.write(to: file)
        let stdin = try FileHandle(forReadingFrom: file)
        defer { try? stdin.close() }
        let result = try await ChildProcess.run(
            "/usr/bin/env",
            [
                "python3", script, driver.rawValue, "127.0.0.1", String(login.port), login.user, login.password,
                login.database, login.characterSet,
            ],
            stdin: stdin,
            timeout: .seconds(120)
        )
        guard result.status == 0,
            case .array(let outcomes) = try JSONDecoder().decode(JSONValue.self, from: Data(result.stdout.utf8)),
            outcomes.count == steps.count
        else {
            throw PeerError("steps.py \(driver.rawValue) exited \(result.status): \(result.stdout) \(result.stderr)")
        }
        return outcomes.map(Outcome.init(json:))
    }
}
