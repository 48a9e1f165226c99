/// `tokens.json`: the tokens `hoopctl login` obtained, one per broker URL, so later commands need no login.
/// The file holds bearer tokens: it is written 0600 in a 0700 directory, atomically.
package struct TokenCache: Sendable {
    private let storage: KeyedJSONFile<CachedToken>

    package init(directory: ConfigDirectory) {
        self.storage = KeyedJSONFile(
            path: directory.file("tokens.json"),
            purpose: "token cache",
            repairHint: "delete it and run `hoopctl login` again"
        )
    }

    /// Path of the cache file.
    package var file: String { self.storage.path }

    /// The token cached for `endpoint`, if any.
    package func token(for endpoint: BrokerEndpoint) throws(LocalError) -> CachedToken? {
        try self.storage.entry(endpoint.url)
    }

    /// Caches `token` for `endpoint`, replacing any earlier one.
    package func store(_ token: CachedToken, for endpoint: BrokerEndpoint) throws(LocalError) {
        _ = try self.storage.update(endpoint.url, to: token)
    }

    /// Drops the token cached for `endpoint`. Returns whether there was one.
    @discardableResult
    package func remove(for endpoint: BrokerEndpoint) throws(LocalError) -> Bool {
        try self.storage.update(endpoint.url, to: nil) != nil
    }
}
