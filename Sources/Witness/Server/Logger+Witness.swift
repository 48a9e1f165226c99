package import Logging

extension Logger {
    /// Discards everything: the default for a witness run inside tests, whose every refusal would otherwise be
    /// printed. `hoopctl witness serve` passes a real logger.
    package static let silentWitness = Logger(label: "hoopctl.witness", factory: { _ in SwiftLogNoOpLogHandler() })
}
