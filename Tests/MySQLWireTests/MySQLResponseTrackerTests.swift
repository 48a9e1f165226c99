import NIOCore
import Testing

@testable import MySQLWire

/// The response tracker against each response shape the protocol has, written as the server sends them, with and
/// without CLIENT_DEPRECATE_EOF.
@Suite("MySQL response tracker")
struct MySQLResponseTrackerTests {
    typealias Fixtures = MySQLWireFixtures

    /// Builds a server's answer packet by packet, laid out for the given capabilities.
    struct Server {
        let capabilities: MySQLCapabilities
        var packets: [MySQLPacket] = []

        var deprecateEOF: Bool { capabilities.contains(.deprecateEOF) }

        mutating func add(_ payload: ByteBuffer) {
            packets.append(MySQLPacket(sequenceID: UInt8(packets.count + 1), payload: payload))
        }

        mutating func ok(_ flags: MySQLServerStatus = .autocommit, affectedRows: UInt64 = 0) {
            add(MySQLOKPacket(affectedRows: affectedRows, statusFlags: flags).payload(capabilities: capabilities))
        }

        mutating func error(_ code: UInt16 = 1064) {
            add(MySQLErrPacket(code: code, sqlState: "42000", message: "You have an error").payload)
        }

        /// The end of a block of definitions: an EOF without DEPRECATE_EOF, nothing with it.
        mutating func endOfDefinitions(_ flags: MySQLServerStatus = .autocommit) {
            guard !deprecateEOF else { return }
            add(MySQLEOFPacket(statusFlags: flags).payload(capabilities: capabilities))
        }

        mutating func endOfRows(_ flags: MySQLServerStatus = .autocommit) {
            if deprecateEOF {
                add(
                    MySQLOKPacket(header: MySQLOKPacket.endOfRowsHeader, statusFlags: flags)
                        .payload(capabilities: capabilities)
                )
            } else {
                add(MySQLEOFPacket(statusFlags: flags).payload(capabilities: capabilities))
            }
        }

        mutating func columns(_ columns: [MySQLColumnDefinition41], withCount: Bool = true) {
            if withCount {
                var count = ByteBuffer()
                count.writeMySQLLengthEncodedInteger(UInt64(columns.count))
                add(count)
            }
            for column in columns { add(column.payload) }
        }

        mutating func textRow(_ values: [String?]) {
            add(MySQLTextRow(values: values.map { $0.map { ByteBuffer(string: $0) } }).payload)
        }
    }

    /// Feeds every packet and returns the classifications.
    static func feed(_ tracker: inout MySQLResponseTracker, _ server: Server) throws -> [MySQLServerPacket] {
        var results: [MySQLServerPacket] = []
        for packet in server.packets {
            results.append(try tracker.received(packet))
        }
        return results
    }

    static let both = [Fixtures.modern, Fixtures.classic]

    static func names(_ packets: [MySQLServerPacket]) -> [String] {
        packets.map { packet in
            switch packet {
            case .ok: "ok"
            case .error: "error"
            case .endOfRows: "endOfRows"
            case .columnCount(let count): "columnCount(\(count))"
            case .columnDefinition(_, let index): "column(\(index))"
            case .parameterDefinition: "parameter"
            case .endOfColumns: "endOfColumns"
            case .textRow: "textRow"
            case .binaryRow: "binaryRow"
            case .prepareOK: "prepareOK"
            case .localInfileRequest(let name): "infile(\(name))"
            case .statistics: "statistics"
            case .other: "other"
            }
        }
    }

    @Test("a text result set, then idle", arguments: both)
    func textResultSet(capabilities: MySQLCapabilities) throws {
        var tracker = MySQLResponseTracker(capabilities: capabilities)
        tracker.commandSent(.query(ByteBuffer(string: "SELECT a, b FROM t")))
        #expect(!tracker.isIdle)
        var server = Server(capabilities: capabilities)
        server.columns([Fixtures.column("a", .varString), Fixtures.column("b", .long)])
        server.endOfDefinitions()
        server.textRow(["x", "1"])
        server.textRow([nil, "2"])
        server.endOfRows()
        let results = try Self.feed(&tracker, server)
        let eof = capabilities.contains(.deprecateEOF) ? [] : ["endOfColumns"]
        #expect(
            Self.names(results)
                == ["columnCount(2)", "column(0)", "column(1)"] + eof + ["textRow", "textRow", "endOfRows"]
        )
        #expect(results[results.count - 2] == .textRow(MySQLTextRow(values: [nil, ByteBuffer(string: "2")])))
        #expect(tracker.isIdle)
        #expect(tracker.currentColumns.map(\.name) == ["a", "b"])
    }

    @Test("multiple results: an OK, a result set, an error ends it all", arguments: both)
    func multiResults(capabilities: MySQLCapabilities) throws {
        var tracker = MySQLResponseTracker(capabilities: capabilities)
        tracker.commandSent(.query(ByteBuffer(string: "UPDATE t SET a=1; SELECT 1; SELECT 'a','b'; SELEC")))
        var server = Server(capabilities: capabilities)
        server.ok([.autocommit, .moreResultsExist], affectedRows: 3)
        server.columns([Fixtures.column("1", .longLong)])
        server.endOfDefinitions()
        server.textRow(["1"])
        server.endOfRows([.autocommit, .moreResultsExist])
        server.columns([Fixtures.column("a", .varString), Fixtures.column("b", .varString)])
        server.endOfDefinitions()
        server.textRow(["a", "b"])
        server.endOfRows([.autocommit, .moreResultsExist])
        var results = try Self.feed(&tracker, server)
        #expect(!tracker.isIdle)
        #expect(tracker.currentColumns.count == 2)
        var last = Server(capabilities: capabilities)
        last.error()
        results += try Self.feed(&tracker, last)
        #expect(Self.names(results).filter { $0 == "endOfRows" }.count == 2)
        #expect(Self.names(results).first == "ok")
        #expect(Self.names(results).last == "error")
        #expect(tracker.isIdle)
    }

    @Test("a row that starts with 0xFE (an 8-byte length) is a row, not the end")
    func rowStartingWithFE() throws {
        var tracker = MySQLResponseTracker(capabilities: Fixtures.classic)
        tracker.commandSent(.query(ByteBuffer(string: "SELECT big")))
        var server = Server(capabilities: Fixtures.classic)
        server.columns([Fixtures.column("big", .longBlob)])
        server.endOfDefinitions()
        var row = ByteBuffer(bytes: [0xFE])
        row.writeMySQLInteger(UInt64(0x100_0000))
        row.writeRepeatingByte(0x61, count: 0x100_0000)
        server.add(row)
        server.endOfRows()
        let results = try Self.feed(&tracker, server)
        #expect(Self.names(results) == ["columnCount(1)", "column(0)", "endOfColumns", "textRow", "endOfRows"])
        #expect(tracker.isIdle)
    }

    @Test("prepare: parameter then column definitions, each block with or without its EOF", arguments: both)
    func prepare(capabilities: MySQLCapabilities) throws {
        var tracker = MySQLResponseTracker(capabilities: capabilities)
        tracker.commandSent(.statementPrepare(ByteBuffer(string: "SELECT id, name FROM t WHERE id = ? AND x = ?")))
        var server = Server(capabilities: capabilities)
        server.add(MySQLPrepareOK(statementID: 1, columnCount: 2, paramCount: 2).payload)
        server.columns([Fixtures.column("?", .null), Fixtures.column("?", .null)], withCount: false)
        server.endOfDefinitions()
        server.columns(Array(Fixtures.columns.prefix(2)), withCount: false)
        server.endOfDefinitions()
        let results = try Self.feed(&tracker, server)
        let eof = capabilities.contains(.deprecateEOF) ? [String]() : ["endOfColumns"]
        #expect(
            Self.names(results)
                == ["prepareOK", "parameter", "parameter"] + eof + ["column(0)", "column(1)"] + eof
        )
        #expect(tracker.isIdle)
        #expect(tracker.statements[1]?.parameters.count == 2)
        #expect(tracker.statements[1]?.columns.map(\.name) == ["id", "name"])
        tracker.commandSent(.statementClose(1))
        #expect(tracker.statements[1] == nil)
        #expect(tracker.isIdle)
    }

    @Test("prepare without parameters or columns is one packet; a failed prepare registers nothing")
    func prepareEdges() throws {
        var tracker = MySQLResponseTracker(capabilities: Fixtures.classic)
        tracker.commandSent(.statementPrepare(ByteBuffer(string: "DO 1")))
        var server = Server(capabilities: Fixtures.classic)
        server.add(MySQLPrepareOK(statementID: 4, columnCount: 0, paramCount: 0).payload)
        #expect(Self.names(try Self.feed(&tracker, server)) == ["prepareOK"])
        #expect(tracker.isIdle)
        tracker.commandSent(.statementPrepare(ByteBuffer(string: "SELEC")))
        var failing = Server(capabilities: Fixtures.classic)
        failing.error()
        #expect(Self.names(try Self.feed(&tracker, failing)) == ["error"])
        #expect(tracker.isIdle)
        #expect(Array(tracker.statements.keys) == [4])
    }

    @Test("execute returns binary rows laid out by its result columns", arguments: both)
    func executeBinaryRows(capabilities: MySQLCapabilities) throws {
        var tracker = MySQLResponseTracker(capabilities: capabilities)
        tracker.commandSent(.statementExecute(statementID: 1, flags: 0, remainder: ByteBuffer(bytes: [1, 0, 0, 0])))
        var server = Server(capabilities: capabilities)
        server.columns(Fixtures.columns)
        server.endOfDefinitions()
        server.add(Fixtures.binaryRow.payload(columns: Fixtures.columns))
        server.endOfRows()
        let results = try Self.feed(&tracker, server)
        #expect(results.contains(.binaryRow(Fixtures.binaryRow)))
        #expect(Self.names(results).last == "endOfRows")
        #expect(tracker.isIdle)
        #expect(tracker.statements[1]?.resultColumns == Fixtures.columns)
    }

    @Test("execute with a cursor: definitions, then an EOF or OK with cursorExists and no rows; fetch brings them")
    func cursorAndFetch() throws {
        for capabilities in Self.both {
            var tracker = MySQLResponseTracker(capabilities: capabilities)
            tracker.commandSent(
                .statementExecute(
                    statementID: 2,
                    flags: MySQLCommand.cursorTypeReadOnly,
                    remainder: ByteBuffer(bytes: [1, 0, 0, 0])
                )
            )
            var server = Server(capabilities: capabilities)
            server.columns(Fixtures.columns)
            if capabilities.contains(.deprecateEOF) {
                server.endOfRows([.autocommit, .cursorExists])
            } else {
                server.endOfDefinitions([.autocommit, .cursorExists])
            }
            let results = try Self.feed(&tracker, server)
            #expect(tracker.isIdle, "\(capabilities)")
            #expect(tracker.statusFlags.contains(.cursorExists))
            #expect(!results.contains { if case .binaryRow = $0 { true } else { false } })

            tracker.commandSent(.statementFetch(statementID: 2, rows: 1))
            var fetch = Server(capabilities: capabilities)
            fetch.add(Fixtures.binaryRow.payload(columns: Fixtures.columns))
            fetch.endOfRows([.autocommit, .cursorExists])
            let fetched = try Self.feed(&tracker, fetch)
            #expect(fetched.first == .binaryRow(Fixtures.binaryRow))
            #expect(tracker.isIdle)
            tracker.commandSent(.statementFetch(statementID: 2, rows: 10))
            var rest = Server(capabilities: capabilities)
            rest.add(Fixtures.binaryRow.payload(columns: Fixtures.columns))
            rest.add(Fixtures.binaryRow.payload(columns: Fixtures.columns))
            rest.endOfRows([.autocommit, .cursorExists, .lastRowSent])
            let last = try Self.feed(&tracker, rest)
            #expect(Self.names(last) == ["binaryRow", "binaryRow", "endOfRows"])
            #expect(tracker.statusFlags.contains(.lastRowSent))
            #expect(tracker.isIdle)
        }
    }

    @Test("COM_FIELD_LIST: definitions until EOF", arguments: both)
    func fieldList(capabilities: MySQLCapabilities) throws {
        var tracker = MySQLResponseTracker(capabilities: capabilities)
        tracker.commandSent(.fieldList(table: "t", wildcard: ""))
        var server = Server(capabilities: capabilities)
        server.columns(Array(Fixtures.columns.prefix(3)), withCount: false)
        server.endOfRows()
        let results = try Self.feed(&tracker, server)
        #expect(Self.names(results) == ["column(0)", "column(1)", "column(2)", "endOfColumns"])
        #expect(tracker.isIdle)
    }

    @Test("LOCAL INFILE: the request, then after the client's data an OK", arguments: both)
    func localInfile(capabilities: MySQLCapabilities) throws {
        var tracker = MySQLResponseTracker(capabilities: capabilities)
        tracker.commandSent(.query(ByteBuffer(string: "LOAD DATA LOCAL INFILE '/tmp/x' INTO TABLE t")))
        var server = Server(capabilities: capabilities)
        server.add(MySQLLocalInfileRequest(filename: "/tmp/x").payload)
        let first = try Self.feed(&tracker, server)
        #expect(first == [.localInfileRequest("/tmp/x")])
        #expect(!tracker.isIdle)
        var after = Server(capabilities: capabilities)
        after.ok(affectedRows: 5)
        #expect(Self.names(try Self.feed(&tracker, after)) == ["ok"])
        #expect(tracker.isIdle)
    }

    @Test("commands without a response leave the tracker idle; simple commands end with OK")
    func simpleCommands() throws {
        var tracker = MySQLResponseTracker(capabilities: Fixtures.modern)
        tracker.commandSent(.statementSendLongData(statementID: 1, parameter: 0, data: ByteBuffer(string: "x")))
        tracker.commandSent(.statementClose(1))
        tracker.commandSent(.quit)
        #expect(tracker.isIdle)
        for command: MySQLCommand in [.ping, .initDB("testdb"), .resetConnection, .statementReset(1), .setOption(0)] {
            tracker.commandSent(command)
            var server = Server(capabilities: Fixtures.modern)
            server.ok()
            #expect(Self.names(try Self.feed(&tracker, server)) == ["ok"])
            #expect(tracker.isIdle)
        }
        var classic = MySQLResponseTracker(capabilities: Fixtures.classic)
        classic.commandSent(.setOption(1))
        var server = Server(capabilities: Fixtures.classic)
        server.add(MySQLEOFPacket(statusFlags: .autocommit).payload(capabilities: Fixtures.classic))
        #expect(Self.names(try Self.feed(&classic, server)) == ["endOfRows"])
        classic.commandSent(.statistics)
        #expect(
            try classic.received(MySQLPacket(sequenceID: 1, payload: ByteBuffer(string: "Uptime: 5")))
                == .statistics("Uptime: 5"))
        #expect(classic.isIdle)
    }

    @Test("pipelined commands are answered in order")
    func pipelined() throws {
        var tracker = MySQLResponseTracker(capabilities: Fixtures.modern)
        tracker.commandSent(.statementPrepare(ByteBuffer(string: "SELECT ?")))
        tracker.commandSent(
            .statementExecute(
                statementID: MySQLResponseTracker.lastPreparedStatementAlias,
                flags: 0,
                remainder: ByteBuffer()
            )
        )
        tracker.commandSent(.ping)
        var server = Server(capabilities: Fixtures.modern)
        server.add(MySQLPrepareOK(statementID: 8, columnCount: 1, paramCount: 0).payload)
        server.columns([Fixtures.column("?", .longLong)], withCount: false)
        server.columns([Fixtures.column("?", .longLong)])
        var row = ByteBuffer(bytes: [0, 0])
        row.writeMySQLInteger(UInt64(7))
        server.add(row)
        server.endOfRows()
        server.ok()
        let results = try Self.feed(&tracker, server)
        #expect(
            Self.names(results)
                == ["prepareOK", "column(0)", "columnCount(1)", "column(0)", "binaryRow", "endOfRows", "ok"]
        )
        #expect(tracker.isIdle)
        #expect(tracker.statements[8]?.resultColumns?.count == 1)
    }

    @Test("packets where none may be are refused; an unsolicited error is reported")
    func unexpected() throws {
        var tracker = MySQLResponseTracker(capabilities: Fixtures.modern)
        #expect(throws: MySQLWireError.self) {
            _ = try tracker.received(MySQLPacket(sequenceID: 0, payload: ByteBuffer(bytes: [0x00, 0, 0, 2, 0, 0, 0])))
        }
        let timeout = MySQLErrPacket(code: 4031, sqlState: "HY000", message: "disconnected for inactivity")
        #expect(try tracker.received(MySQLPacket(sequenceID: 0, payload: timeout.payload)) == .error(timeout))
        tracker.commandSent(.query(ByteBuffer(string: "SELECT 1")))
        #expect(throws: MySQLWireError.self) {
            _ = try tracker.received(MySQLPacket(sequenceID: 1, payload: ByteBuffer(bytes: [0xFC, 0x00, 0x00])))
        }
        var binary = MySQLResponseTracker(capabilities: Fixtures.modern)
        binary.commandSent(.statementFetch(statementID: 99, rows: 1))
        // A fetch for a statement with no known columns cannot lay out a row with values.
        #expect(throws: MySQLWireError.self) {
            _ = try binary.received(MySQLPacket(sequenceID: 1, payload: ByteBuffer(bytes: [0x00, 0x00, 0x01])))
        }
    }
}
