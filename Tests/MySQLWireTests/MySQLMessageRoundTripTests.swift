import NIOCore
import Testing

@testable import MySQLWire

/// Every message parses back to what was encoded, and parsed bytes encode back to the same bytes: the engine
/// forwards what it inspected, so re-encoding must not change a byte.
@Suite("MySQL messages round-trip")
struct MySQLMessageRoundTripTests {
    typealias Fixtures = MySQLWireFixtures

    @Test("a real MariaDB handshake parses and re-encodes byte for byte")
    func mariaDBHandshake() throws {
        let handshake = try MySQLHandshakeV10(parsing: Fixtures.mariaDBHandshake)
        #expect(handshake.serverVersion == "5.5.5-10.11.19-MariaDB-0+deb12u1")
        #expect(handshake.isMariaDB)
        #expect(handshake.connectionID == 5)
        #expect(handshake.authPluginData.count == 20)
        #expect(handshake.authPluginName == "mysql_native_password")
        #expect(
            handshake.capabilities.isSuperset(of: [.protocol41, .secureConnection, .pluginAuth, .ssl, .deprecateEOF]))
        #expect(!handshake.capabilities.contains(.clientMySQL))
        #expect(
            handshake.mariaDBCapabilities == [.progress, .statementBulkOperations, .extendedTypeInfo, .cacheMetadata])
        #expect(handshake.statusFlags == .autocommit)
        #expect(handshake.payload == Fixtures.mariaDBHandshake)
    }

    @Test("a MySQL-style handshake round-trips")
    func handshake() throws {
        let parsed = try MySQLHandshakeV10(parsing: Fixtures.handshake.payload)
        #expect(parsed == Fixtures.handshake)
        #expect(parsed.mariaDBCapabilities == nil)
        #expect(!parsed.isMariaDB)
    }

    @Test("handshake responses round-trip in each auth-response layout")
    func handshakeResponse() throws {
        let lenenc = Fixtures.handshakeResponse
        #expect(try MySQLHandshakeResponse41(parsing: lenenc.payload) == lenenc)
        var oneByte = lenenc
        oneByte.capabilities.remove(.pluginAuthLenencClientData)
        #expect(try MySQLHandshakeResponse41(parsing: oneByte.payload) == oneByte)
        var minimal = lenenc
        minimal.capabilities = [.protocol41, .secureConnection]
        minimal.database = nil
        minimal.authPluginName = nil
        minimal.attributes = []
        #expect(try MySQLHandshakeResponse41(parsing: minimal.payload) == minimal)
        var mariaDB = lenenc
        mariaDB.capabilities.remove(.clientMySQL)
        mariaDB.mariaDBCapabilities = [.progress]
        #expect(try MySQLHandshakeResponse41(parsing: mariaDB.payload) == mariaDB)
    }

    @Test("an SSLRequest is recognised by its length and flag, and a full response is not")
    func sslRequest() throws {
        let request = Fixtures.handshakeResponse.sslRequest
        #expect(request.payload.readableBytes == 32)
        #expect(MySQLSSLRequest.isSSLRequest(request.payload))
        #expect(try MySQLSSLRequest(parsing: request.payload) == request)
        #expect(!MySQLSSLRequest.isSSLRequest(Fixtures.handshakeResponse.payload))
        var plain = request
        plain.capabilities.remove(.ssl)
        #expect(!MySQLSSLRequest.isSSLRequest(plain.payload))
        #expect(throws: MySQLWireError.self) { _ = try MySQLSSLRequest(parsing: plain.payload) }
    }

    @Test("OK packets round-trip under each capability layout")
    func okPackets() throws {
        let states = ByteBuffer(bytes: [0x00, 0x07, 0x06, 0x74, 0x65, 0x73, 0x74, 0x64, 0x62])
        let packets = [
            MySQLOKPacket(
                affectedRows: 3, lastInsertID: 300, statusFlags: .autocommit, warnings: 1, info: "Rows matched: 3"),
            MySQLOKPacket(statusFlags: [.autocommit, .sessionStateChanged], sessionStateChanges: states),
            MySQLOKPacket(header: MySQLOKPacket.endOfRowsHeader, statusFlags: [.moreResultsExist], omitsInfo: true),
            MySQLOKPacket(affectedRows: 70_000, lastInsertID: 1 << 40),
        ]
        for capabilities in [Fixtures.modern, Fixtures.classic.subtracting(.sessionTrack), [.transactions], []] {
            for packet in packets {
                var expected = packet
                if !capabilities.contains(.sessionTrack) {
                    expected.sessionStateChanges = nil
                    expected.omitsInfo = expected.info.isEmpty
                }
                if !capabilities.contains(.protocol41) { expected.warnings = 0 }
                if !capabilities.contains(.protocol41) && !capabilities.contains(.transactions) {
                    expected.statusFlags = []
                }
                let bytes = packet.payload(capabilities: capabilities)
                let parsed = try MySQLOKPacket(parsing: bytes, capabilities: capabilities)
                #expect(parsed == expected, "\(capabilities)")
                #expect(parsed.payload(capabilities: capabilities) == bytes)
            }
        }
    }

    @Test("ERR packets round-trip with and without SQLSTATE")
    func errPackets() throws {
        let error = MySQLErrPacket(code: 1045, sqlState: "28000", message: "Access denied for user 'x'@'127.0.0.1'")
        #expect(try MySQLErrPacket(parsing: error.payload) == error)
        let early = MySQLErrPacket(code: 1040, message: "Too many connections", hasSQLStateMarker: false)
        let parsed = try MySQLErrPacket(parsing: early.payload)
        #expect(parsed == early)
        #expect(parsed.sqlState == "HY000")
        #expect(String(describing: error) == "ERROR 1045 (28000): Access denied for user 'x'@'127.0.0.1'")
    }

    @Test("EOF, auth switch, auth more data, LOCAL INFILE and prepare OK round-trip")
    func smallMessages() throws {
        let eof = MySQLEOFPacket(warnings: 2, statusFlags: [.autocommit, .moreResultsExist])
        let eofBytes = eof.payload(capabilities: Fixtures.classic)
        #expect(eofBytes.readableBytes == 5)
        #expect(MySQLEOFPacket.isEOF(eofBytes))
        #expect(try MySQLEOFPacket(parsing: eofBytes, capabilities: Fixtures.classic) == eof)

        let switchRequest = MySQLAuthSwitchRequest(pluginName: "client_ed25519", pluginData: Array(1...32))
        #expect(try MySQLAuthSwitchRequest(parsing: switchRequest.payload) == switchRequest)
        let withNUL = MySQLAuthSwitchRequest(pluginName: "mysql_native_password", pluginData: Array(1...20) + [0])
        #expect(try MySQLAuthSwitchRequest(parsing: withNUL.payload).nonce == Array(1...20))
        #expect(throws: MySQLWireError.self) { _ = try MySQLAuthSwitchRequest(parsing: ByteBuffer(bytes: [0xFE])) }

        let more = MySQLAuthMoreData(data: [0x03])
        #expect(try MySQLAuthMoreData(parsing: more.payload) == more)
        let infile = MySQLLocalInfileRequest(filename: "/etc/passwd")
        #expect(try MySQLLocalInfileRequest(parsing: infile.payload) == infile)
        let prepare = MySQLPrepareOK(statementID: 9, columnCount: 2, paramCount: 3, warnings: 1)
        #expect(prepare.payload.readableBytes == 12)
        #expect(try MySQLPrepareOK(parsing: prepare.payload) == prepare)
    }

    @Test("column definitions round-trip byte-exactly, including COM_FIELD_LIST's default value")
    func columnDefinitions() throws {
        for column in Fixtures.columns {
            let bytes = column.payload
            let parsed = try MySQLColumnDefinition41(parsing: bytes)
            #expect(parsed == column)
            #expect(parsed.payload == bytes)
        }
        var withDefault = Fixtures.columns[1].payload
        withDefault.writeMySQLLengthEncodedString("n/a")
        let parsed = try MySQLColumnDefinition41(parsing: withDefault)
        #expect(parsed.payload == withDefault)
        #expect(MySQLColumnType(0xF5) == .json)
        #expect(MySQLColumnType(0x42) == .unknown(0x42))
        #expect(MySQLColumnType(0x42).rawValue == 0x42)
        #expect(MySQLColumnType.json.rawValue == 0xF5)
        #expect(MySQLColumnType.varString.isTextual && !MySQLColumnType.longLong.isTextual)
        for code in UInt8.min...UInt8.max {
            #expect(MySQLColumnType(code).rawValue == code)
        }
    }

    @Test("text rows round-trip with NULLs, empty strings and long values")
    func textRows() throws {
        let long = ByteBuffer(repeating: 0x61, count: 70_000)
        let row = MySQLTextRow(values: [ByteBuffer(string: "1"), nil, ByteBuffer(), long])
        let parsed = try MySQLTextRow(parsing: row.payload, columnCount: 4)
        #expect(parsed == row)
        #expect(throws: MySQLWireError.self) { _ = try MySQLTextRow(parsing: row.payload, columnCount: 3) }
        #expect(throws: MySQLWireError.self) { _ = try MySQLTextRow(parsing: row.payload, columnCount: 5) }
    }

    @Test("binary rows round-trip for every value layout, with the NULL bitmap at offset 2")
    func binaryRows() throws {
        let bytes = Fixtures.binaryRow.payload(columns: Fixtures.columns)
        // Header, then a bitmap of (9 + 2 + 7) / 8 = 2 bytes: column 3 is bit 5 of byte 0, column 8 bit 2 of byte 1.
        #expect(bytes.getBytes(at: 0, length: 3) == [0x00, 0x20, 0x04])
        let parsed = try MySQLBinaryRow(parsing: bytes, columns: Fixtures.columns)
        #expect(parsed == Fixtures.binaryRow)
        #expect(parsed.payload(columns: Fixtures.columns) == bytes)
        // A textual value replaced with one of another length re-encodes with the new length.
        var masked = parsed
        masked.values[1] = ByteBuffer(string: "*****-masked")
        let remasked = try MySQLBinaryRow(parsing: masked.payload(columns: Fixtures.columns), columns: Fixtures.columns)
        #expect(remasked.values[1] == ByteBuffer(string: "*****-masked"))
        #expect(remasked.values[5] == Fixtures.binaryRow.values[5])
    }

    @Test("every command round-trips")
    func commands() throws {
        for command in Fixtures.commands {
            #expect(try MySQLCommand(parsing: command.payload) == command)
        }
        #expect(MySQLCommand.query(ByteBuffer(string: "SELECT 'é'")).text == "SELECT 'é'")
        #expect(MySQLCommand.query(ByteBuffer(bytes: [0x53, 0xFF])).text == nil)
        #expect(try MySQLCommand(parsing: ByteBuffer(bytes: [0x00])) == .other(code: 0, payload: ByteBuffer()))
        #expect(!MySQLCommand.statementClose(1).expectsResponse && MySQLCommand.ping.expectsResponse)
    }

    @Test("execute parameters round-trip with types sent, types reused, NULLs and long data")
    func executeParameters() throws {
        let types: [MySQLExecuteParameters.ParameterType] = [
            .init(type: .longLong, flags: MySQLExecuteParameters.ParameterType.unsignedFlag),
            .init(type: .varString),
            .init(type: .datetime),
            .init(type: .blob),
        ]
        let sent = MySQLExecuteParameters(
            types: types,
            values: [ByteBuffer(bytes: [5, 0, 0, 0, 0, 0, 0, 0]), ByteBuffer(string: "bob"), nil, nil],
            newParamsBound: true,
            longDataParameters: [3]
        )
        let parsed = try MySQLExecuteParameters.parse(
            sent.remainder,
            paramCount: 4,
            previousTypes: nil,
            longDataParameters: [3]
        )
        #expect(parsed == sent)
        #expect(parsed.types[0].isUnsigned)
        #expect(parsed.remainder == sent.remainder)

        var reused = sent
        reused.newParamsBound = false
        reused.longDataParameters = []
        reused.values[2] = ByteBuffer(bytes: [0xE8, 0x07, 1, 2, 3, 4, 5])
        let again = try MySQLExecuteParameters.parse(reused.remainder, paramCount: 4, previousTypes: types)
        #expect(again == reused)
        #expect(throws: MySQLWireError.self) {
            _ = try MySQLExecuteParameters.parse(reused.remainder, paramCount: 4, previousTypes: nil)
        }
        let none = try MySQLExecuteParameters.parse(ByteBuffer(bytes: [1, 0, 0, 0]), paramCount: 0, previousTypes: nil)
        #expect(none.values.isEmpty && none.iterationCount == 1)
    }

    @Test("COM_CHANGE_USER's fields round-trip, with and without the optional tail")
    func changeUser() throws {
        let full = MySQLChangeUser(
            username: "hoop_native",
            authResponse: Array(1...20),
            database: "testdb",
            characterSet: 45,
            authPluginName: "mysql_native_password",
            attributes: [.init(key: "_client_name", value: "x")]
        )
        var buffer = ByteBuffer()
        full.encode(into: &buffer, capabilities: Fixtures.modern)
        #expect(try MySQLChangeUser(parsing: buffer, capabilities: Fixtures.modern) == full)
        let old = MySQLChangeUser(username: "u", authResponse: [], database: "")
        var oldBuffer = ByteBuffer()
        old.encode(into: &oldBuffer, capabilities: Fixtures.modern)
        #expect(try MySQLChangeUser(parsing: oldBuffer, capabilities: Fixtures.modern) == old)
    }

    @Test("the primitives encode lengths in their shortest form and read them back")
    func primitives() throws {
        for value: UInt64 in [0, 250, 251, 0xFFFF, 0x1_0000, 0xFF_FFFF, 0x100_0000, .max] {
            var buffer = ByteBuffer()
            buffer.writeMySQLLengthEncodedInteger(value)
            let expectedLength = value < 251 ? 1 : value <= 0xFFFF ? 3 : value <= 0xFF_FFFF ? 4 : 9
            #expect(buffer.readableBytes == expectedLength)
            #expect(try buffer.readMySQLLengthEncodedInteger("v") == value)
        }
        var nullMarker = ByteBuffer(bytes: [0xFB])
        #expect(throws: MySQLWireError.self) { _ = try nullMarker.readMySQLLengthEncodedInteger("v") }
        var lying = ByteBuffer(bytes: [0xFC, 0x10, 0x00, 0x61])
        #expect(throws: MySQLWireError.truncated("s")) { _ = try lying.readMySQLLengthEncodedBytes("s") }
        var unterminated = ByteBuffer(string: "abc")
        #expect(throws: MySQLWireError.self) { _ = try unterminated.readMySQLNullTerminatedString("s") }
        var nul = ByteBuffer()
        nul.writeMySQLNullTerminatedString("a\u{0}b")
        #expect(nul == ByteBuffer(bytes: [0x61, 0]))
    }
}
