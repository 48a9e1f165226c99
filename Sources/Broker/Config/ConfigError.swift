/// A configuration problem, located by its path in the file (`resources[1].address`) so the operator can fix it
/// without guessing.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    public var path: String
    public var message: String

    public init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { path.isEmpty ? "config: \(message)" : "config: \(path): \(message)" }
}
