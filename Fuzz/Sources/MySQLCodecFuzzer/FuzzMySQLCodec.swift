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
///   server runs), and so do the parameters of a COM_STMT_EXECUTE; a COM_CHANGE_USER and a login re-read the
///   same after encoding;
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
        var encoded = ByteBuffer()
        response.encode(into: &encoded)
        require((try? MySQLHandshakeResponse41(parsing: encoded)) == response, "a login reads differently re-encoded")
    }
    if let greeting = try? MySQLHandshakeV10(parsing: payload) {
        var encoded = ByteBuffer()
        greeting.encode(into: &encoded)
        require((try? MySQLHandshakeV10(parsing: encoded)) == greeting, "a greeting reads differently re-encoded")
    }
}

func checkCommand(_ payload: ByteBuffer, capabilities: MySQLCapabilities, tracker: inout MySQLResponseTracker) {
    guard let command = try? MySQLCommand(parsing: payload) else { return }
    var encoded = ByteBuffer()
    command.encode(into: &encoded)
    require(encoded == payload, "command \(command) re-encodes to other bytes")
    switch command {
    case .changeUser(let body):
        if let change = try? MySQLChangeUser(parsing: body, capabilities: capabilities) {
            var reencoded = ByteBuffer()
            change.encode(into: &reencoded, capabilities: capabilities)
            require(
                (try? MySQLChangeUser(parsing: reencoded, capabilities: capabilities)) == change,
                "a COM_CHANGE_USER reads differently re-encoded")
        }
    case .statementExecute(let id, _, let remainder):
        // The parameter count and long-data parameters come from the statement id, so every shape is reachable.
        let count = Int(id % 8)
        let longData = Set((0..<count).filter { id >> (8 + $0) & 1 == 1 })
        if let parameters = try? MySQLExecuteParameters.parse(
            remainder, paramCount: count, previousTypes: nil, longDataParameters: longData)
        {
            require(parameters.remainder == remainder, "execute parameters \(parameters) re-encode to other bytes")
        }
    default:
        break
    }
    tracker.commandSent(command)
}
