import Foundation

/// Loopback detection for the one place plain http is tolerated: identity providers on the same machine (tests,
/// demos). Broker and client apply the same rule, so they share it.
package enum LoopbackHost {
    /// Whether `host` names the loopback interface: `localhost`, 127.0.0.0/8 or `::1` (brackets allowed).
    package static func isLoopback(_ host: String) -> Bool {
        let host = host.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        if host == "localhost" || host == "::1" {
            return true
        }
        let octets = host.split(separator: ".", omittingEmptySubsequences: false)
        guard octets.count == 4, octets.first == "127" else { return false }
        return octets.allSatisfy { octet in UInt8(octet).map { _ in octet.count <= 3 } ?? false }
    }
}
