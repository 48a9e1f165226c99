import Foundation
import NIOCore
import Testing

@testable import MySQLWire

/// `MySQLClientLogin` and `MySQLResponseTracker` against a real MariaDB 10.11: each account's plugin (native,
/// ed25519 through libsodium), TLS with and without verification, a wrong password, and real multi-result, prepared
/// and cursor responses classified packet by packet.
@Suite("MariaDB login and responses", .serialized)
struct MariaDBClientLoginTests {
    static func login(
        _ user: MariaDBServer.User,
        password: String = MariaDBServer.password,
        tls: MySQLTLSMode = .disable,
        capabilities: MySQLCapabilities = MySQLClientLogin.wantedCapabilities
    ) -> MySQLClientLogin {
        MySQLClientLogin(
            username: user.rawValue,
            password: password,
            database: "testdb",
            tls: tls,
            attributes: [.init(key: "_client_name", value: "hoopctl-tests")],
            capabilities: capabilities
        )
    }

    /// Logs in and returns the client and session, or fails the test with the login's error.
    static func connect(
        _ server: MariaDBServer,
        _ user: MariaDBServer.User,
        tls: MySQLTLSMode = .disable,
        capabilities: MySQLCapabilities = MySQLClientLogin.wantedCapabilities
    ) async throws -> (MySQLTestClient, MySQLTargetSession) {
        let client = try await MySQLTestClient(port: server.port)
        var login = login(user, tls: tls, capabilities: capabilities)
        let action = try await client.logIn(&login, caFile: tls == .verifyFull ? server.caFile : nil)
        guard case .loggedIn(let session) = action else {
            await client.close()
            throw PeerError("login as \(user.rawValue) failed: \(action)")
        }
        return (client, session)
    }

    static func text(_ value: ByteBuffer?) -> String? {
        value.map { String(buffer: $0) }
    }

    @Test("every account logs in with its plugin, TLS where required; a wrong password gets the server's 1045")
    func logins() async throws {
        try await MariaDBServer.with { server in
            let (native, nativeSession) = try await Self.connect(server, .native)
            #expect(nativeSession.isMariaDB)
            #expect(nativeSession.authPlugin == .nativePassword)
            #expect(!nativeSession.usesTLS)
            #expect(nativeSession.capabilities.contains(.deprecateEOF))
            #expect(!nativeSession.capabilities.contains(.ssl))
            await native.close()

            // The ed25519 account answers the server's switch with a signature made through libsodium.
            let (ed25519, edSession) = try await Self.connect(server, .ed25519)
            #expect(edSession.authPlugin == .clientEd25519)
            await ed25519.close()

            for mode in [MySQLTLSMode.require, .verifyFull] {
                let (tls, tlsSession) = try await Self.connect(server, .tlsRequired, tls: mode)
                #expect(tlsSession.usesTLS)
                #expect(tlsSession.capabilities.contains(.ssl))
                var tracker = MySQLResponseTracker(capabilities: tlsSession.capabilities)
                let cipher = try await tls.run(
                    .query(ByteBuffer(string: "SHOW SESSION STATUS LIKE 'Ssl_version'")),
                    tracker: &tracker
                )
                let row = cipher.compactMap { packet -> MySQLTextRow? in
                    if case .textRow(let row) = packet { row } else { nil }
                }
                #expect(Self.text(row.first?.values[1])?.hasPrefix("TLS") == true)
                await tls.close()
            }

            // Without TLS the REQUIRE SSL account is refused by the server, and that refusal is what the login says.
            let plain = try await MySQLTestClient(port: server.port)
            var plainLogin = Self.login(.tlsRequired, tls: .disable)
            guard case .fail(.accessDenied(let refusal)) = try await plain.logIn(&plainLogin) else {
                Issue.record("the REQUIRE SSL account logged in without TLS")
                return
            }
            #expect(refusal.code == 1045)
            await plain.close()

            let wrong = try await MySQLTestClient(port: server.port)
            var wrongLogin = Self.login(.native, password: "not-the-password")
            let action = try await wrong.logIn(&wrongLogin)
            guard case .fail(.accessDenied(let error)) = action else {
                Issue.record("a wrong password was not refused: \(action)")
                return
            }
            #expect(error.code == 1045)
            #expect(error.sqlState == "28000")
            #expect(error.message.contains("Access denied for user 'hoop_native'"))
            #expect(String(describing: MySQLLoginError.accessDenied(error)).contains("ERROR 1045 (28000)"))
            await wrong.close()

            let wrongEd = try await MySQLTestClient(port: server.port)
            var wrongEdLogin = Self.login(.ed25519, password: "not-the-password")
            guard case .fail(.accessDenied(let edError)) = try await wrongEd.logIn(&wrongEdLogin) else {
                Issue.record("a wrong ed25519 password was not refused")
                return
            }
            #expect(edError.code == 1045)
            await wrongEd.close()
        }
    }

    @Test(
        "a real multi-result query, prepared statement with binary rows, and cursor fetch classify as they should",
        arguments: [true, false]
    )
    func responses(deprecateEOF: Bool) async throws {
        var capabilities = MySQLClientLogin.wantedCapabilities
        if !deprecateEOF { capabilities.remove(.deprecateEOF) }
        try await MariaDBServer.with { server in
            let (client, session) = try await Self.connect(server, .native, capabilities: capabilities)
            #expect(session.capabilities.contains(.deprecateEOF) == deprecateEOF)
            var tracker = MySQLResponseTracker(capabilities: session.capabilities)

            let multi = try await client.run(.query(ByteBuffer(string: "SELECT 1; SELECT 'a','b'")), tracker: &tracker)
            let shape = multi.map { packet -> String in
                switch packet {
                case .columnCount(let count): "count(\(count))"
                case .columnDefinition(_, let index): "column(\(index))"
                case .textRow: "row"
                case .endOfColumns: "eoc"
                case .endOfRows(let flags, _): flags.contains(.moreResultsExist) ? "end+more" : "end"
                default: "\(packet)"
                }
            }
            let eoc = deprecateEOF ? [String]() : ["eoc"]
            #expect(
                shape
                    == ["count(1)", "column(0)"] + eoc + ["row", "end+more", "count(2)", "column(0)", "column(1)"] + eoc
                    + ["row", "end"]
            )
            #expect(multi.contains(.textRow(MySQLTextRow(values: [ByteBuffer(string: "a"), ByteBuffer(string: "b")]))))

            let prepared = try await client.run(
                .statementPrepare(ByteBuffer(string: "SELECT CAST(? AS SIGNED) + 1 AS n, 'x' AS s, NULL AS z")),
                tracker: &tracker
            )
            guard case .prepareOK(let ok) = prepared.first else {
                Issue.record("no prepare OK: \(prepared)")
                return
            }
            #expect(ok.paramCount == 1 && ok.columnCount == 3)
            #expect(tracker.statements[ok.statementID]?.parameters.count == 1)
            #expect(tracker.statements[ok.statementID]?.columns.map(\.name) == ["n", "s", "z"])

            let parameters = MySQLExecuteParameters(
                types: [.init(type: .longLong)],
                values: [ByteBuffer(bytes: [41, 0, 0, 0, 0, 0, 0, 0])],
                newParamsBound: true
            )
            let executed = try await client.run(
                .statementExecute(statementID: ok.statementID, flags: 0, remainder: parameters.remainder),
                tracker: &tracker
            )
            let rows = executed.compactMap { packet -> MySQLBinaryRow? in
                if case .binaryRow(let row) = packet { row } else { nil }
            }
            #expect(rows.count == 1)
            #expect(tracker.currentColumns.first?.type == .longLong)
            #expect(rows.first?.values[0] == ByteBuffer(bytes: [42, 0, 0, 0, 0, 0, 0, 0]))
            #expect(Self.text(rows.first?.values[1]) == "x")
            #expect(rows.first?.values.count == 3 && rows.first?.values[2] == nil)
            // The tracker's own parse of the execute it sent agrees with what went out.
            #expect(
                try MySQLExecuteParameters.parse(parameters.remainder, paramCount: 1, previousTypes: nil) == parameters
            )

            // A cursor: the execute answers with definitions and cursorExists, the rows come with COM_STMT_FETCH.
            let series = try await client.run(
                .statementPrepare(ByteBuffer(string: "SELECT seq FROM seq_1_to_5")),
                tracker: &tracker
            )
            guard case .prepareOK(let cursorStatement) = series.first else {
                Issue.record("no prepare OK for the cursor statement: \(series)")
                return
            }
            let opened = try await client.run(
                .statementExecute(
                    statementID: cursorStatement.statementID,
                    flags: MySQLCommand.cursorTypeReadOnly,
                    remainder: ByteBuffer(bytes: [1, 0, 0, 0])
                ),
                tracker: &tracker
            )
            #expect(tracker.statusFlags.contains(.cursorExists))
            #expect(!opened.contains { if case .binaryRow = $0 { true } else { false } })
            var fetched = 0
            var lastRowSent = false
            for _ in 0..<4 where !lastRowSent {
                let batch = try await client.run(
                    .statementFetch(statementID: cursorStatement.statementID, rows: 2),
                    tracker: &tracker
                )
                fetched += batch.filter { if case .binaryRow = $0 { true } else { false } }.count
                lastRowSent = tracker.statusFlags.contains(.lastRowSent)
            }
            #expect(fetched == 5)
            #expect(lastRowSent)

            // LOCAL INFILE: the server asks for the file, the client sends none (an empty packet), the server says OK.
            let table = "infile_\(deprecateEOF ? "modern" : "classic")"
            _ = try await client.run(.query(ByteBuffer(string: "CREATE TABLE \(table) (a INT)")), tracker: &tracker)
            let load = MySQLCommand.query(
                ByteBuffer(string: "LOAD DATA LOCAL INFILE '/nonexistent' INTO TABLE \(table)"))
            tracker.commandSent(load)
            try await client.send(MySQLPacket(sequenceID: 0, payload: load.payload))
            let request = try await client.receive()
            #expect(try tracker.received(request) == .localInfileRequest("/nonexistent"))
            try await client.send(MySQLPacket(sequenceID: request.nextSequenceID, payload: ByteBuffer()))
            guard case .ok(let loaded) = try tracker.received(try await client.receive()) else {
                Issue.record("LOAD DATA LOCAL was not answered with OK")
                return
            }
            #expect(loaded.affectedRows == 0)
            #expect(tracker.isIdle)

            // COM_FIELD_LIST ends its definitions with an EOF, or an OK under DEPRECATE_EOF.
            let fields = try await client.run(.fieldList(table: table, wildcard: ""), tracker: &tracker)
            #expect(fields.count == 2)
            guard case .columnDefinition(let field, index: 0) = fields.first else {
                Issue.record("no field definition: \(fields)")
                return
            }
            #expect(field.name == "a")
            #expect(fields.last == .endOfColumns)
            let statistics = try await client.run(.statistics, tracker: &tracker)
            guard case .statistics(let text) = statistics.first else {
                Issue.record("no statistics: \(statistics)")
                return
            }
            #expect(text.hasPrefix("Uptime"))
            let option = try await client.run(.setOption(1), tracker: &tracker)
            #expect(option.count == 1)

            tracker.commandSent(.statementClose(ok.statementID))
            try await client.send(
                MySQLPacket(sequenceID: 0, payload: MySQLCommand.statementClose(ok.statementID).payload))
            #expect(tracker.statements[ok.statementID] == nil)
            let ping = try await client.run(.ping, tracker: &tracker)
            #expect(ping.count == 1)
            if case .ok = ping.first {} else { Issue.record("ping was not answered with OK: \(ping)") }
            await client.close()
        }
    }
}
