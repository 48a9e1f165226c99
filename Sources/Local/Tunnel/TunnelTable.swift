import NIOCore

/// The forwarder's open tunnels, keyed by local connection. Lives on the forwarder's event loop.
struct TunnelTable {
    struct Tunnel {
        let local: any Channel
        /// Set once the TCP connection to the broker exists.
        var broker: (any Channel)?
        /// Set once the broker switched protocols and the two connections are glued.
        var isSpliced = false
    }

    private var tunnels: [ObjectIdentifier: Tunnel] = [:]
    private var isStopped = false

    var count: Int { self.tunnels.count }

    /// Records a new local connection; false once the forwarder is stopping, when it must be refused.
    mutating func add(_ local: any Channel) -> Bool {
        guard !self.isStopped else { return false }
        self.tunnels[ObjectIdentifier(local)] = Tunnel(local: local)
        return true
    }

    /// Whether `local` is still open and tracked.
    func contains(_ local: any Channel) -> Bool {
        self.tunnels[ObjectIdentifier(local)] != nil
    }

    mutating func remove(_ local: any Channel) -> Tunnel? {
        self.tunnels.removeValue(forKey: ObjectIdentifier(local))
    }

    /// Records the broker connection for `local`; false when `local` is already gone and `broker` must be closed.
    mutating func attach(_ broker: any Channel, to local: any Channel) -> Bool {
        guard self.tunnels[ObjectIdentifier(local)] != nil else { return false }
        self.tunnels[ObjectIdentifier(local)]?.broker = broker
        return true
    }

    mutating func markSpliced(_ local: any Channel) {
        self.tunnels[ObjectIdentifier(local)]?.isSpliced = true
    }

    /// Refuses further connections and returns every channel to close.
    mutating func stop() -> [any Channel] {
        self.isStopped = true
        return self.tunnels.values.flatMap { tunnel in [tunnel.local] + (tunnel.broker.map { [$0] } ?? []) }
    }
}
