/// Answer to `GET /v1/audit/export`: the bundle's files (path → base64 content), sealed by the broker, for the
/// client to write as a directory. Nothing in it needs the broker again to be verified.
package struct EvidenceBundleResponse: Codable, Sendable, Equatable {
    package var files: [String: String]

    package init(files: [String: String]) {
        self.files = files
    }
}
