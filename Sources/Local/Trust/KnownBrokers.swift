/// The trust-on-first-use store, `known_brokers.json`: one pinned certificate per broker `host:port`, like SSH's
/// `known_hosts`.
package struct KnownBrokers: Sendable {
    private let storage: KeyedJSONFile<KnownBroker>

    package init(directory: ConfigDirectory) {
        self.storage = KeyedJSONFile(
            path: directory.file("known_brokers.json"),
            purpose: "pinned-broker store",
            repairHint: "delete it to trust brokers on first use again, or fix it by hand"
        )
    }

    /// Path of the store file, shown to users so they know what to inspect or delete.
    package var file: String { self.storage.path }

    /// The certificate pinned for `endpoint`, if the broker was seen before.
    package func pin(for endpoint: BrokerEndpoint) throws(LocalError) -> KnownBroker? {
        try self.storage.entry(endpoint.authority)
    }

    /// Pins `broker` for `endpoint`, replacing any earlier pin.
    package func remember(_ broker: KnownBroker, for endpoint: BrokerEndpoint) throws(LocalError) {
        _ = try self.storage.update(endpoint.authority, to: broker)
    }

    /// Forgets the pin for `endpoint`, so the next contact trusts on first use again. Returns whether there was one.
    @discardableResult
    package func forget(_ endpoint: BrokerEndpoint) throws(LocalError) -> Bool {
        try self.storage.update(endpoint.authority, to: nil) != nil
    }
}
