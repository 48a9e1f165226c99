/// A configuration problem, located by its path in the file (`resources[1].address`) so the operator can fix it
/// without guessing.
package struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    package var path: String
    package var message: String

    package init(path: String, message: String) {
        self.path = path
        self.message = message
    }

    package var description: String { path.isEmpty ? "config: \(message)" : "config: \(path): \(message)" }
}
