import HoopCore

/// The witness cannot start safely: its data dir, key or configuration is unusable. `description` names the thing
/// and what is wrong with it, for the operator.
package struct WitnessSetupError: Error, Sendable, Equatable, CustomStringConvertible {
    package var subject: String
    package var problem: String

    package var description: String { "\(subject) \(problem)" }

    static func invalidName(_ name: String) -> Self {
        Self(
            subject: "the witness name \"\(name)\"", problem: "is empty or holds a space, a plus or a control character"
        )
    }

    static func file(_ path: String, _ problem: String) -> Self {
        Self(subject: path, problem: problem)
    }

    static func notALogKey(_ key: NoteVerifierKey) -> Self {
        Self(subject: "the log key \(key.text)", problem: "is not an Ed25519 checkpoint key (type 01)")
    }

    static func listen(_ address: String, _ problem: String) -> Self {
        Self(subject: address, problem: problem)
    }
}
