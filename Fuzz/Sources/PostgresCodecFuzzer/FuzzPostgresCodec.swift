import FuzzSupport
import NIOCore

@testable import PostgresWire

/// One libFuzzer input: the first byte picks the decoder and how the rest is cut into reads; the rest is the byte
/// stream. The properties checked are the codec's contract with the broker:
/// - a decoder only returns messages, waits, or throws `PostgresCodecError`;
/// - every message it returns consumed at least one byte (no spinning);
/// - every message it accepts re-encodes to exactly the bytes it came from, so what the broker forwards is what
///   it inspected; the same holds for each reading of a 'p' body that parses.
/// A violation traps, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzPostgresCodec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    guard !input.isAtEnd else { return 0 }
    let selector = input.byte()
    let stream = input.rest()
    // 0 feeds everything at once; otherwise reads of 1 to 63 bytes.
    let readSize = Int(selector >> 2)
    switch selector & 3 {
    case 0:
        var decoder = PostgresFrontendDecoder(maximumMessageLength: 1 << 16)
        check(feed(stream, readSize: readSize, into: &decoder, each: roundTrip))
    case 1:
        var decoder = PostgresFrontendDecoder(maximumMessageLength: 1 << 16)
        var startup = ByteBuffer(bytes: [0, 0, 0, 12, 0, 3, 0, 0, 0x75, 0, 0, 0])
        guard case .startup? = try? decoder.decode(buffer: &startup) else { fatalError("the priming startup failed") }
        check(feed(stream, readSize: readSize, into: &decoder, each: roundTrip))
    default:
        var decoder = PostgresBackendDecoder(maximumMessageLength: 1 << 16)
        check(feed(stream, readSize: readSize, into: &decoder, each: roundTrip))
    }
    return 0
}

func check(_ error: (any Error)?) {
    guard let error else { return }
    require(error is PostgresCodecError, "a decoder threw something other than PostgresCodecError: \(error)")
}

/// The messages both decoders produce, as far as the properties need them.
protocol FuzzedMessage {
    func write(into out: inout ByteBuffer) throws(PostgresCodecError)
    func checkNested()
}

extension PostgresFrontendMessage: FuzzedMessage {
    func checkNested() {
        guard case .passwordFamily(let body) = self else { return }
        for kind in [PostgresPasswordFamilyMessage.Kind.password, .saslInitialResponse, .saslResponse, .gssResponse] {
            guard let reading = try? PostgresPasswordFamilyMessage(body: body, as: kind) else { continue }
            guard case .passwordFamily(let rewritten)? = try? reading.message() else {
                fatalError("the \(kind) reading of a 'p' body does not re-encode")
            }
            require(rewritten == body, "the \(kind) reading of a 'p' body does not re-encode to the same bytes")
        }
    }
}

extension PostgresBackendMessage: FuzzedMessage {
    func checkNested() {}
}

func roundTrip(_ message: some FuzzedMessage, _ bytes: ByteBuffer) {
    var reencoded = ByteBuffer()
    do {
        try message.write(into: &reencoded)
    } catch {
        fatalError("an accepted message does not re-encode: \(error)")
    }
    require(reencoded == bytes, "re-encoding changed the bytes of \(message)")
    message.checkNested()
}
