/// Who may read `/metrics`. Metrics name resources, count refusals and show load: useful to an attacker probing the
/// broker, so they are not public. A scraper either presents a token of its own (`token_env` / `token_file`), or
/// reads them on an address of their own (`listen`, e.g. a loopback or management interface); with neither, the
/// broker serves no metrics.
package struct MetricsConfig: Sendable, Equatable {
    /// The scrape token, sent as `Authorization: Bearer <token>`.
    package var token: SecretReference?
    /// A listener for `/metrics` alone (plain HTTP); the main port then serves none.
    package var listen: HostPort?

    package static let off = MetricsConfig(token: nil, listen: nil)
}
