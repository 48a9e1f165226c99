/// How much evidence a bundle holds (in the manifest) or how much a verification got through (in its report).
package struct BundleCounts: Encodable, Sendable, Equatable {
    /// Audit events exported in full.
    package var events = 0
    /// Redacted events: only seq and leaf hash, kept so the tree still computes across them.
    package var stubs = 0
    package var checkpoints = 0
    package var rotations = 0
    package var recordings = 0
    package var tombstones = 0

    package init() {}

    var jsonValue: JSONValue {
        [
            "events": .int(Int64(events)), "stubs": .int(Int64(stubs)), "checkpoints": .int(Int64(checkpoints)),
            "rotations": .int(Int64(rotations)), "recordings": .int(Int64(recordings)),
            "tombstones": .int(Int64(tombstones)),
        ]
    }

    init(fields: EvidenceFields) throws(EvidenceFormatError) {
        try fields.requireOnly(["events", "stubs", "checkpoints", "rotations", "recordings", "tombstones"])
        events = Int(try fields.int("events"))
        stubs = Int(try fields.int("stubs"))
        checkpoints = Int(try fields.int("checkpoints"))
        rotations = Int(try fields.int("rotations"))
        recordings = Int(try fields.int("recordings"))
        tombstones = Int(try fields.int("tombstones"))
    }
}
