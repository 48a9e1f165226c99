public import NIOCore

/// Feeds a byte stream to a wire decoder the way a channel would: in reads of `readSize` bytes (0: all at once),
/// then end of input. Each message comes with the bytes it was decoded from, for round-trip checks; the checks
/// also hold the decoder to making progress (no message from zero bytes).
///
/// Returns the error the decoder threw, if any; a decoder's errors are typed, so anything else cannot happen.
public func feed<Decoder: NIOSingleStepByteToMessageDecoder>(
    _ stream: ArraySlice<UInt8>,
    readSize: Int,
    into decoder: inout Decoder,
    each handle: (Decoder.InboundOut, ByteBuffer) throws -> Void
) -> (any Error)? {
    var buffer = ByteBuffer()
    var offset = stream.startIndex
    do {
        repeat {
            let end = readSize == 0 ? stream.endIndex : min(stream.endIndex, offset + readSize)
            buffer.writeBytes(stream[offset..<end])
            offset = end
            try drain(&buffer, with: &decoder, atEOF: false, each: handle)
        } while offset < stream.endIndex
        try drain(&buffer, with: &decoder, atEOF: true, each: handle)
    } catch {
        return error
    }
    return nil
}

private func drain<Decoder: NIOSingleStepByteToMessageDecoder>(
    _ buffer: inout ByteBuffer,
    with decoder: inout Decoder,
    atEOF: Bool,
    each handle: (Decoder.InboundOut, ByteBuffer) throws -> Void
) throws {
    while true {
        let before = buffer
        let decoded = try atEOF ? decoder.decodeLast(buffer: &buffer, seenEOF: true) : decoder.decode(buffer: &buffer)
        guard let message = decoded else { return }
        let consumed = buffer.readerIndex - before.readerIndex
        require(consumed > 0, "a message was returned without consuming input")
        try handle(message, before.getSlice(at: before.readerIndex, length: consumed)!)
    }
}
