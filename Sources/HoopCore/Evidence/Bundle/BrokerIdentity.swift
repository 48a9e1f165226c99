/// Which broker an export came from, as far as it knows itself: its configured id and its CA fingerprint (what
/// `hoopctl broker fingerprint` prints), so an auditor can match a bundle to a deployment.
package struct BrokerIdentity: Codable, Sendable, Equatable {
    package var id: String?
    package var fingerprint: String?

    package init(id: String? = nil, fingerprint: String? = nil) {
        self.id = id
        self.fingerprint = fingerprint
    }

    var jsonValue: JSONValue {
        ["id": JSONValue(id), "fingerprint": JSONValue(fingerprint)]
    }
}
