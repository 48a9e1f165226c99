/// `tokens.json`: the tokens `hoopctl login` obtained, one per broker URL, so later commands need no login.
/// The file holds bearer tokens: it is written 0600 in a 0700 directory, atomically.
public struct TokenCache: Sendable {
    private let storage: KeyedJSONFile<CachedToken>

    public init(directory: ConfigDirectory) {
        self.storage = KeyedJSONFile(
            path: directory.file("tokens.json"),
            purpose: "token cache",
            repairHint: "delete it and run `hoopctl login` again"
        )
    }

    /// Path of the cache file.
    public var file: String { self.storage.path }

    /// The token cached for `endpoint`, if any.
    public func token(for endpoint: BrokerEndpoint) throws(LocalError) -> CachedToken? {
        try self.storage.entry(endpoint.url)
    }

    /// Caches `token` for `endpoint`, replacing any earlier one.
    public func store(_ token: CachedToken, for endpoint: BrokerEndpoint) throws(LocalError) {
        _ = try self.storage.update(endpoint.url, to: token)
    }

    /// Drops the token cached for `endpoint`. Returns whether there was one.
    @discardableResult
    public func remove(for endpoint: BrokerEndpoint) throws(LocalError) -> Bool {
        try self.storage.update(endpoint.url, to: nil) != nil
    }
}
