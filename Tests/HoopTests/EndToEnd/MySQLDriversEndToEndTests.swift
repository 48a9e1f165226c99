import Foundation
import HoopCore
import Testing

/// Applications' drivers through `hoopctl connect` get what they get straight from the target: the same script run by
/// PyMySQL and mysql-connector-python (pure and C extension) through the broker and directly against MariaDB with
/// the held login returns identical results and identical error numbers.
@Suite("End to end: MySQL drivers", .serialized)
struct MySQLDriversEndToEndTests {
    typealias Step = MySQLDriverScript.Step

    /// Every step's outcome must match direct; a temporary table keeps runs independent.
    static func script(_ driver: MySQLDriverScript.Driver) -> [Step] {
        var steps: [Step] = [
            .query("create temporary table t (id int primary key, label varchar(20), amount decimal(8,2), at date)"),
            .query("insert into t values (%s, %s, %s, %s)", [1, "Zürich", "12.50", "2024-02-29"]),
            .query("insert into t values (%s, %s, %s, %s)", [2, nil, "-0.01", nil]),
            .query("select id, label, amount, at, amount * 2, label is null from t order by id"),
            .query("update t set amount = amount + 1 where id = 1"),
            .query("select name, balance from users order by id"),
            .query("insert into t values (%s, 'dup', 0, null)", [1]),  // 1062
            .query("select * from no_such_table"),  // 1146
            .query("selec 1"),  // 1064
            .selectDatabase("no_such_database"),  // 1044/1049
        ]
        if driver != .pymysql {
            steps += [
                .prepared("select id, label, amount, at from t where id = ?", [1]),
                .prepared("insert into t values (?, ?, ?, ?)", [3, "prepared", "3.25", "2025-01-01"]),
                .prepared("select count(*), sum(amount) from t"),
                .prepared("select * from no_such_table"),
            ]
        }
        return steps
    }

    @Test("PyMySQL and mysql-connector (pure and C) return through the broker exactly what they return directly")
    func driversMatchDirect() async throws {
        try await MySQLEndToEndTests.withStack { db, _, agent in
            let (connect, port, _, password) = try await MySQLEndToEndTests.connect(agent)
            for driver in MySQLDriverScript.Driver.allCases {
                let steps = Self.script(driver)
                let direct = try await MySQLDriverScript.run(driver, .direct(port: db.port), steps)
                let brokered = try await MySQLDriverScript.run(
                    driver, .session(port: port, password: password), steps)
                #expect(direct[5].description.contains("Ada"), "\(driver) direct: \(direct[5])")
                #expect(direct[6].errorNumber == 1062, "\(driver) direct: \(direct[6])")
                for (index, step) in steps.enumerated() {
                    #expect(
                        brokered[index] == direct[index], "\(driver) \(step): \(brokered[index]) vs \(direct[index])")
                }
            }
            connect.signal(SIGINT)
            _ = try await connect.waitForExit()
        }
    }
}
