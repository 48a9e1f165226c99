import HoopCore

extension SessionOrigin {
    /// The caller's account of what opened a session, bounded, as the audit event and the recording keep it.
    var evidence: JSONValue {
        let origin = bounded
        var fields: [String: JSONValue] = ["interface": .string(origin.interface)]
        fields["client"] = origin.client.map(JSONValue.string)
        fields["tool"] = origin.tool.map(JSONValue.string)
        return .object(fields)
    }
}
