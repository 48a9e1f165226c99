import Foundation
import Logging
import Masking

/// What the broker hands every engine when it builds them at start.
struct EngineEnvironment: Sendable {
    var logger: Logger
    /// The broker's data dir, for keys an engine keeps (the SSH host key).
    var dataDir: URL
    /// One masker per resource with a `masking:` policy, built once and shared by the engines that mask.
    var maskers: [String: ValueMasker]
    /// The broker's store, for engines that keep state across connections (MCP tool pins); nil in tests that
    /// build engines alone, where such state lives in memory.
    var store: (any Store)? = nil
}
