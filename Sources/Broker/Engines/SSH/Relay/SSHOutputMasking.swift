import HoopCore
import Masking
import NIOCore
import NIOSSH

/// Masks what an SSH target sends back on one channel (stdout and stderr apart) with the resource's stream masker,
/// so a value split across two reads is still caught: the masker holds back a tail that could be the start of a
/// match until a line ends, the window fills, or the target's EOF or close. In terminal (pty) sessions the tail is
/// also released when output pauses for `idleRelease`, so echoed keystrokes appear at once; there a value printed
/// in pieces slower than that is masked best-effort only, like keystroke rules.
final class SSHOutputMasking {
    /// How long output may pause before a held-back tail is released as it is.
    static let idleRelease: TimeAmount = .milliseconds(100)

    /// Output ready to send, with what was masked in it (for the recording).
    struct Released {
        var data: SSHChannelData
        var found: MaskingSummary
    }

    private let masker: ValueMasker
    private let reporter: ConnectionReporter
    private var streams: [SSHChannelData.DataType: StreamMasker] = [:]
    /// Everything masked on the channel, audited once when it closes.
    private var total = MaskingSummary()

    init(masker: ValueMasker, reporter: ConnectionReporter) {
        self.masker = masker
        self.reporter = reporter
    }

    /// What may be sent now for `data`; nil when all of it is held back for the moment.
    func mask(_ data: SSHChannelData) -> Released? {
        guard case .byteBuffer(let buffer) = data.data else { return Released(data: data, found: MaskingSummary()) }
        var stream = streams[data.type] ?? StreamMasker(masker: masker)
        let bytes = stream.feed(buffer.readableBytesView)
        let found = stream.takeSummary()
        streams[data.type] = stream
        return released(bytes, type: data.type, found: found)
    }

    /// Every held-back tail, masked, per stream.
    func release() -> [Released] {
        Array(streams.keys).compactMap { type in
            guard var stream = streams[type] else { return nil }
            let bytes = stream.finish()
            let found = stream.takeSummary()
            streams[type] = stream
            return released(bytes, type: type, found: found)
        }
    }

    /// Audits what the channel masked (a `masking.applied` event with counts per detector), if anything.
    func channelClosed(_ channel: UInt32) {
        guard !total.isEmpty else { return }
        var counts = total.counts.mapValues { JSONValue.int(Int64($0)) }
        counts["channel"] = .int(Int64(channel))
        reporter.masked(.object(counts))
        total = MaskingSummary()
    }

    private func released(_ bytes: [UInt8], type: SSHChannelData.DataType, found: MaskingSummary) -> Released? {
        total.merge(found)
        guard !bytes.isEmpty else { return nil }
        return Released(data: SSHChannelData(type: type, data: .byteBuffer(ByteBuffer(bytes: bytes))), found: found)
    }
}
