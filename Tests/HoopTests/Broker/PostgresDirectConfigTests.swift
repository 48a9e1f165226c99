import Foundation
import Testing

@testable import Broker

/// `postgres_direct` and `allow_direct`: off by default, and every mistake refused with its path.
@Suite("Broker configuration: PostgreSQL direct mode")
struct PostgresDirectConfigTests {
    let base = URL(fileURLWithPath: "/etc/hoop", isDirectory: true)

    func yaml(top: String = "", resource: String = "", type: String = "postgres") -> String {
        """
        listen: 127.0.0.1:8443
        \(top)
        identity:
          - issuer: http://127.0.0.1:9400
            audience: hoop
        resources:
          - name: pg
            type: \(type)
            address: 127.0.0.1:5432
        \(type == "postgres" ? "    database: app\n    username: app\n    password_env: PG" : "")
        \(resource)
        """
    }

    func parse(_ text: String) throws -> BrokerConfig {
        try ConfigLoader.parse(yaml: text, relativeTo: base, environment: ["PG": "secret"])
    }

    @Test("off unless configured: no listener, no direct resource")
    func offByDefault() throws {
        let config = try parse(yaml())
        #expect(config.postgresDirect == nil)
        #expect(config.resources.first?.allowsDirect == false)
    }

    @Test("a listener and an opted-in resource load, with the default login timeout")
    func optedIn() throws {
        let config = try parse(
            yaml(top: "postgres_direct:\n  listen: 0.0.0.0:6432", resource: "    allow_direct: true"))
        #expect(
            config.postgresDirect
                == PostgresDirectConfig(listen: HostPort(host: "0.0.0.0", port: 6432), loginTimeout: 10))
        #expect(config.resources.first?.allowsDirect == true)
    }

    @Test(
        "mistakes are refused with the path of the problem",
        arguments: [
            ("", "    allow_direct: true", "postgres", "resources[0].allow_direct", "add postgres_direct.listen"),
            ("", "    allow_direct: yes", "postgres", "resources[0].allow_direct", "expected true or false"),
            ("", "    allow_direct: true", "tcp", "resources[0].allow_direct", "unknown key"),
            ("postgres_direct: {}", "", "postgres", "postgres_direct.listen", "required"),
            ("postgres_direct: {listen: 127.0.0.1:0}", "", "postgres", "postgres_direct.listen", "fixed port"),
            ("postgres_direct: {listen: 127.0.0.1:8443}", "", "postgres", "postgres_direct.listen", "the API's"),
            ("postgres_direct: {listen: nowhere}", "", "postgres", "postgres_direct.listen", "host:port"),
            (
                "postgres_direct: {listen: 127.0.0.1:6432, login_timeout: 0s}", "", "postgres",
                "postgres_direct.login_timeout", "expected a duration"
            ),
            (
                "postgres_direct: {listen: 127.0.0.1:6432, tls: off}", "", "postgres", "postgres_direct.tls",
                "unknown key"
            ),
        ]
    )
    func refused(top: String, resource: String, type: String, path: String, message: String) {
        do {
            _ = try parse(yaml(top: top, resource: resource, type: type))
            Issue.record("accepted: \(top) \(resource)")
        } catch let error as ConfigError {
            #expect(error.path == path, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        } catch {
            Issue.record("unexpected \(error)")
        }
    }
}
