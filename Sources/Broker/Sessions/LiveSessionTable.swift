import Metrics
import NIOCore

/// What the broker holds in memory for one active session; none of it outlives the session.
struct LiveSession: Sendable {
    var recorder: SessionRecorder
    var clientPassword: String?
    /// The recording segment this broker writes: the session id on the broker that granted it, or
    /// `BrokerDeployment.segmentName` on another that joined it.
    var recording: String
    /// Copies the segment to the deployment's shared archive; nil on the embedded store, where the data dir is the
    /// archive.
    var shipper: RecordingShipper? = nil
}

/// The sessions this broker is serving now and the tunnel channels open in each, so ending a session closes its
/// channels and seals its recorder. Owned by the session manager's actor; the gauges follow every change.
struct LiveSessionTable {
    private var sessions: [String: LiveSession] = [:]
    private var channels: [String: [ObjectIdentifier: any Channel]] = [:]
    private let activeSessions = Gauge(label: "hoop_sessions_active")
    private let activeTunnels = Gauge(label: "hoop_tunnel_connections_active")

    var ids: [String] { Array(sessions.keys) }

    /// The tunnel connections open now, counted per session.
    var openChannels: [String: Int] {
        channels.compactMapValues { $0.isEmpty ? nil : $0.count }
    }

    func entry(_ id: String) -> LiveSession? {
        sessions[id]
    }

    mutating func start(_ id: String, _ session: LiveSession) {
        sessions[id] = session
        activeSessions.record(sessions.count)
    }

    /// Tracks a channel of a live session; false if the session already ended.
    mutating func attach(_ channel: any Channel, to id: String) -> Bool {
        guard sessions[id] != nil else { return false }
        channels[id, default: [:]][ObjectIdentifier(channel)] = channel
        recordTunnels()
        return true
    }

    mutating func detach(_ channel: any Channel, from id: String) {
        channels[id]?[ObjectIdentifier(channel)] = nil
        recordTunnels()
    }

    /// Forgets the session and returns its recorder and the channels still open, for the caller to close.
    mutating func end(_ id: String) -> (session: LiveSession?, channels: [any Channel]) {
        let open = channels.removeValue(forKey: id).map { Array($0.values) } ?? []
        recordTunnels()
        let session = sessions.removeValue(forKey: id)
        activeSessions.record(sessions.count)
        return (session, open)
    }

    private func recordTunnels() {
        activeTunnels.record(channels.values.reduce(0) { $0 + $1.count })
    }
}
