extension JSONValue {
    /// This object with `extra` members added; how a line adds `prev` and `hash` to the hashed body it stores.
    func adding(_ extra: [String: JSONValue]) -> JSONValue {
        guard case .object(let members) = self else { return self }
        return .object(members.merging(extra) { _, added in added })
    }
}
