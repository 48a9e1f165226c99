import FuzzSupport
import NIOCore

@testable import MySQLWire

/// One libFuzzer input: a selector byte (bits 0-1: whether the first packet is a login; bits 2-7: the read size,
/// 0 for everything at once), four bytes of negotiated capabilities, then a byte stream of packets in both
/// directions: packets with sequence id 0 are the client's commands, the others the server's answers, as after
/// login. Checked, as the broker relies on it:
/// - the packet decoder returns only packets, waits or throws `MySQLWireError`, and every packet re-encodes to the
///   bytes it came from, fragments included;
/// - a command that parses re-encodes to its payload exactly (the command the broker inspected is the one the
///   server runs); the parameters of a COM_STMT_EXECUTE read back the same; a COM_CHANGE_USER, a login and a
///   greeting, as the codec writes them, read back and write out the same;
/// - the response tracker classifies every server packet or throws `MySQLWireError`, whatever commands came
///   before.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzMySQLCodec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte()
    let capabilities = MySQLCapabilities(
        rawValue: UInt32(input.byte()) << 24 | UInt32(input.byte()) << 16 | UInt32(input.byte()) << 8
            | UInt32(input.byte()))
    var decoder = MySQLPacketDecoder(maximumPacketSize: 1 << 16)
    var tracker = MySQLResponseTracker(capabilities: capabilities)
    var login = selector & 3 == 1
    let error = feed(input.rest(), readSize: Int(selector >> 2), into: &decoder) { packet, bytes in
        var reencoded = ByteBuffer()
        MySQLPacketEncoder.write(packet, into: &reencoded)
        require(reencoded == bytes, "packet \(packet) re-encodes to other bytes")
        if login {
            login = false
            checkLogin(packet.payload)
        } else if packet.sequenceID == 0 {
            checkCommand(packet.payload, capabilities: capabilities, tracker: &tracker)
        } else {
            _ = try tracker.received(packet)
        }
    }
    if let error {
        require(error is MySQLWireError, "the codec threw something other than MySQLWireError: \(error)")
    }
    return 0
}

func checkLogin(_ payload: ByteBuffer) {
    if let response = try? MySQLHandshakeResponse41(parsing: payload) {
        requireFixedPoint(response.payload, "a login") { try MySQLHandshakeResponse41(parsing: $0).payload }
    }
    if let greeting = try? MySQLHandshakeV10(parsing: payload) {
        requireFixedPoint(greeting.payload, "a greeting") { try MySQLHandshakeV10(parsing: $0).payload }
    }
}

/// Login messages may leave trailing fields out, which they read as absent and write out empty, and a greeting's
/// nonce length is written as its nonce has it, so their bytes do not always survive a round trip; what they write
/// must, though: written, read and written again, it is the same.
func requireFixedPoint(_ encoded: ByteBuffer, _ what: String, _ reencode: (ByteBuffer) throws -> ByteBuffer) {
    guard let again = try? reencode(encoded) else { fatalError("\(what) as the codec writes it does not read back") }
    require(again == encoded, "\(what) as the codec writes it reads back as another")
}

func checkCommand(_ payload: ByteBuffer, capabilities: MySQLCapabilities, tracker: inout MySQLResponseTracker) {
    guard let command = try? MySQLCommand(parsing: payload) else { return }
    var encoded = ByteBuffer()
    command.encode(into: &encoded)
    require(encoded == payload, "command \(command) re-encodes to other bytes")
    switch command {
    case .changeUser(let body):
        if let change = try? MySQLChangeUser(parsing: body, capabilities: capabilities) {
            var written = ByteBuffer()
            change.encode(into: &written, capabilities: capabilities)
            requireFixedPoint(written, "a COM_CHANGE_USER") { bytes in
                var again = ByteBuffer()
                try MySQLChangeUser(parsing: bytes, capabilities: capabilities).encode(
                    into: &again, capabilities: capabilities)
                return again
            }
        }
    case .statementExecute(let id, _, let remainder):
        // The parameter count and long-data parameters come from the statement id, so every shape is reachable.
        let count = Int(id % 8)
        let longData = Set((0..<count).filter { id >> (8 + $0) & 1 == 1 })
        if let parameters = try? MySQLExecuteParameters.parse(
            remainder, paramCount: count, previousTypes: nil, longDataParameters: longData)
        {
            // Compared as read, not as bytes: the server ignores the NULL bit of a parameter sent as long data, and
            // so does the parse, so that bit need not survive.
            require(
                (try? MySQLExecuteParameters.parse(
                    parameters.remainder, paramCount: count, previousTypes: nil, longDataParameters: longData))
                    == parameters,
                "execute parameters \(parameters) read back as others")
        }
    default:
        break
    }
    tracker.commandSent(command)
}
