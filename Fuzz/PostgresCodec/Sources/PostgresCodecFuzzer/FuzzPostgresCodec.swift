import NIOCore

/// One libFuzzer input: the first byte picks the decoder and how the rest is cut into reads; the rest is the byte
/// stream. The properties checked are the codec's contract with the broker:
/// - a decoder only returns messages, waits, or throws `PostgresCodecError`;
/// - every message it returns consumed at least one byte (no spinning);
/// - every message it accepts re-encodes to exactly the bytes it came from, so what the broker forwards is what
///   it inspected; the same holds for each reading of a 'p' body that parses.
/// A violation traps, which libFuzzer reports as a crash with the input saved.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzPostgresCodec(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let selector = data[0]
    let stream = UnsafeBufferPointer(start: data + 1, count: size - 1)
    // 0 feeds everything at once; otherwise reads of 1 to 63 bytes.
    let readSize = Int(selector >> 2)
    switch selector & 3 {
    case 0:
        feed(stream, readSize: readSize, into: PostgresFrontendDecoder(maximumMessageLength: 1 << 16))
    case 1:
        var decoder = PostgresFrontendDecoder(maximumMessageLength: 1 << 16)
        var startup = ByteBuffer(bytes: [0, 0, 0, 12, 0, 3, 0, 0, 0x75, 0, 0, 0])
        guard case .startup? = try? decoder.decode(buffer: &startup) else { fatalError("the priming startup failed") }
        feed(stream, readSize: readSize, into: decoder)
    default:
        feed(stream, readSize: readSize, into: PostgresBackendDecoder(maximumMessageLength: 1 << 16))
    }
    return 0
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
            guard case .passwordFamily(let rewritten)? = try? reading.message(), rewritten == body else {
                fatalError("the \(kind) reading of a 'p' body does not re-encode to the same bytes")
            }
        }
    }
}

extension PostgresBackendMessage: FuzzedMessage {
    func checkNested() {}
}

func feed<Decoder: NIOSingleStepByteToMessageDecoder>(
    _ stream: UnsafeBufferPointer<UInt8>,
    readSize: Int,
    into decoder: Decoder
) where Decoder.InboundOut: FuzzedMessage {
    var decoder = decoder
    var buffer = ByteBuffer()
    var offset = 0
    do {
        repeat {
            let end = readSize == 0 ? stream.count : min(stream.count, offset + readSize)
            buffer.writeBytes(UnsafeBufferPointer(rebasing: stream[offset..<end]))
            offset = end
            try drain(&buffer, with: &decoder, atEOF: false)
        } while offset < stream.count
        try drain(&buffer, with: &decoder, atEOF: true)
    } catch is PostgresCodecError {
        return
    } catch {
        fatalError("a decoder threw something other than PostgresCodecError: \(error)")
    }
}

func drain<Decoder: NIOSingleStepByteToMessageDecoder>(
    _ buffer: inout ByteBuffer,
    with decoder: inout Decoder,
    atEOF: Bool
) throws where Decoder.InboundOut: FuzzedMessage {
    while true {
        let before = buffer
        let decoded = try atEOF ? decoder.decodeLast(buffer: &buffer, seenEOF: true) : decoder.decode(buffer: &buffer)
        guard let message = decoded else { return }
        let consumed = buffer.readerIndex - before.readerIndex
        guard consumed > 0 else { fatalError("a message was returned without consuming input") }
        var reencoded = ByteBuffer()
        do {
            try message.write(into: &reencoded)
        } catch {
            fatalError("an accepted message does not re-encode: \(error)")
        }
        guard reencoded == before.getSlice(at: before.readerIndex, length: consumed) else {
            fatalError("re-encoding changed the bytes of \(message)")
        }
        message.checkNested()
    }
}
