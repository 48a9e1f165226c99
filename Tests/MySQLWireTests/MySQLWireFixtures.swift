import NIOCore

@testable import MySQLWire

/// Messages and byte strings the codec tests share: one of every kind, with the capabilities they are laid out for.
enum MySQLWireFixtures {
    /// What MariaDB 10.11 sends first, captured from the server `testing/peers/mariadb.sh` starts (a 20-byte nonce,
    /// CLIENT_MYSQL clear and MariaDB's extended capabilities 0x1d in the reserved bytes).
    static let mariaDBHandshake = bytes(
        "0a352e352e352d31302e31312e31392d4d6172696144422d302b64656231327531000500000068424e444924744100feff0802"
            + "00ff81150000000000001d000000232d564a4f3144425f373544006d7973716c5f6e61746976655f70617373776f726400"
    )

    /// The capabilities the broker ends up with against a modern server, DEPRECATE_EOF on.
    static let modern: MySQLCapabilities = MySQLClientLogin.wantedCapabilities
    /// The same without DEPRECATE_EOF: EOF packets after definitions and rows.
    static let classic: MySQLCapabilities = MySQLClientLogin.wantedCapabilities.subtracting(.deprecateEOF)

    static func bytes(_ hex: String) -> ByteBuffer {
        var buffer = ByteBuffer()
        var iterator = hex.makeIterator()
        while let high = iterator.next(), let low = iterator.next() {
            buffer.writeInteger(UInt8(String([high, low]), radix: 16)!)
        }
        return buffer
    }

    static func column(
        _ name: String,
        _ type: MySQLColumnType,
        characterSet: UInt16 = 45,
        flags: UInt16 = 0
    ) -> MySQLColumnDefinition41 {
        MySQLColumnDefinition41(
            schema: "testdb",
            table: "t",
            orgTable: "t",
            name: name,
            orgName: name,
            characterSet: characterSet,
            columnLength: 255,
            type: type,
            flags: flags
        )
    }

    /// One column of each binary layout.
    static let columns: [MySQLColumnDefinition41] = [
        column("id", .longLong, characterSet: 63),
        column("name", .varString),
        column("born", .date, characterSet: 63),
        column("ratio", .double, characterSet: 63),
        column("flag", .tiny, characterSet: 63),
        column("doc", .json),
        column("small", .short, characterSet: 63),
        column("future", .unknown(0x42)),
        column("note", .blob),
    ]

    static let binaryRow = MySQLBinaryRow(values: [
        ByteBuffer(bytes: [1, 0, 0, 0, 0, 0, 0, 0]),
        ByteBuffer(string: "alice"),
        ByteBuffer(bytes: [0xE8, 0x07, 12, 7]),
        nil,
        ByteBuffer(bytes: [1]),
        ByteBuffer(string: #"{"a":1}"#),
        ByteBuffer(bytes: [0xFF, 0x7F]),
        ByteBuffer(string: "x"),
        nil,
    ])

    static let handshake = MySQLHandshakeV10(
        serverVersion: "8.0.36",
        connectionID: 42,
        authPluginData: Array(1...20),
        capabilities: MySQLCapabilities(rawValue: 0xFFFF_FFFF),
        characterSet: 255,
        statusFlags: .autocommit,
        authPluginName: "caching_sha2_password"
    )

    static let handshakeResponse = MySQLHandshakeResponse41(
        capabilities: modern.union([.connectWithDB, .ssl]),
        maxPacketSize: 1 << 24,
        characterSet: 45,
        username: "hoop",
        authResponse: Array(repeating: 0xAA, count: 32),
        database: "testdb",
        authPluginName: "caching_sha2_password",
        attributes: [.init(key: "_client_name", value: "hoopctl"), .init(key: "_os", value: "Linux")]
    )

    static let commands: [MySQLCommand] = [
        .query(ByteBuffer(string: "SELECT 1")),
        .initDB("testdb"),
        .ping,
        .quit,
        .fieldList(table: "t", wildcard: "%"),
        .statementPrepare(ByteBuffer(string: "SELECT ? + ?")),
        .statementExecute(statementID: 7, flags: 1, remainder: ByteBuffer(bytes: [1, 0, 0, 0])),
        .statementSendLongData(statementID: 7, parameter: 1, data: ByteBuffer(string: "long")),
        .statementClose(7),
        .statementReset(7),
        .statementFetch(statementID: 7, rows: 100),
        .resetConnection,
        .changeUser(ByteBuffer(bytes: [0x61, 0, 0, 0])),
        .processKill(99),
        .setOption(1),
        .statistics,
        .debug,
        .other(code: 0x12, payload: ByteBuffer(bytes: [1, 2, 3])),
    ]

    static func payload(_ message: some MySQLEncodableMessage) -> ByteBuffer {
        message.payload
    }
}
