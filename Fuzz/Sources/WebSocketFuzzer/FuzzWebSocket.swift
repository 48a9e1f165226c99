import Foundation
import FuzzSupport
import NIOCore
import NIOEmbedded
import NIOWebSocket

@testable import Broker
@testable import HoopCore

/// Where each input's recording is written, and removed again.
let recordingFile = FileManager.default.temporaryDirectory
    .appendingPathComponent("hoop-fuzz-websocket-\(ProcessInfo.processInfo.processIdentifier).jsonl")

/// One libFuzzer input: a selector byte (bit 0: from the target rather than the client; bit 1: the Kubernetes
/// channel protocol) and the WebSocket bytes one side sends after the upgrade. NIO's frame decoder reads them as
/// the broker's relay configures it; the broker's own part, `WebSocketFrameInspector`, records every data message
/// before it is relayed. Checked, with no masking configured:
/// - the inspector relays every message's payload unchanged;
/// - what it recorded reads back as a valid recording with one event per message, holding that message's bytes
///   (a Kubernetes resize may instead become a `resize` event).
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzWebSocket(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let selector = input.byte()
    let direction: RecordingDirection = selector & 1 == 0 ? .up : .down
    let kubernetes = selector & 2 != 0
    let channel = EmbeddedChannel()
    defer { _ = try? channel.finish() }
    do {
        try channel.pipeline.syncOperations.addHandler(
            ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: WebSocketSplice.largestFrame)))
        try channel.writeInbound(ByteBuffer(bytes: input.rest()))
    } catch {
        // NIO refused the framing; the relay closes the connection on what came before.
    }
    var frames: [WebSocketFrame] = []
    while let frame = try? channel.readInbound(as: WebSocketFrame.self) {
        frames.append(frame)
    }
    guard frames.contains(where: { [.text, .binary, .continuation].contains($0.opcode) }) else { return 0 }

    unlink(recordingFile.path)
    defer { unlink(recordingFile.path) }
    let recorder = try! SessionRecorder(file: recordingFile, metadata: ["resource": "kube"])
    let inspector = WebSocketFrameInspector(
        recorder: recorder, connection: 1, masker: nil, subprotocol: kubernetes ? "v5.channel.k8s.io" : nil)
    var passed: [[UInt8]] = []
    for frame in frames where [.text, .binary, .continuation].contains(frame.opcode) {
        let payload = frame.unmaskedData
        let relayed = try! inspector.pass(payload, opcode: frame.opcode, direction: direction)
        require(relayed == payload, "the inspector changed a \(frame.opcode) message it relayed")
        passed.append(Array(payload.readableBytesView))
    }
    _ = try! recorder.finish(details: [:])
    let bytes = Array(FileManager.default.contents(atPath: recordingFile.path) ?? Data())
    guard let events = try? RecordingFile.events(in: bytes) else {
        fatalError("the relay wrote a recording that does not read back")
    }
    let messages = events.filter { $0.kind == .data || $0.kind == .resize }
    require(messages.count == passed.count, "\(passed.count) messages gave \(messages.count) recorded events")
    for (event, payload) in zip(messages, passed) where event.kind == .data {
        let recorded = Array(Data(base64Encoded: event.data ?? "") ?? Data())
        let expected = kubernetes && !payload.isEmpty ? Array(payload.dropFirst()) : payload
        require(recorded == expected, "a message was recorded as other bytes")
    }
    return 0
}
