import Foundation

/// What OpenSSH needs to talk to the broker's SSH server through a local port: the broker's host key is pinned
/// under an alias (`hoop-<resource>`) in a known_hosts file of the session, so `StrictHostKeyChecking=yes` holds
/// and no prompt or "add to known hosts" happens, whatever the port.
struct SSHClientOptions {
    let resource: String
    let knownHostsFile: String

    var alias: String { "hoop-\(resource)" }

    var arguments: [String] {
        [
            "-o", "HostKeyAlias=\(alias)", "-o", "UserKnownHostsFile=\(knownHostsFile)", "-o",
            "StrictHostKeyChecking=yes",
        ]
    }

    func command(port: Int, user: String, host: String) -> String {
        (["ssh", "-p", String(port)] + arguments + ["\(user)@\(host)"]).map(Self.shellQuoted).joined(separator: " ")
    }

    /// The known_hosts line for the broker's host key.
    func knownHostsLine(hostKey: String) -> String {
        "\(alias) \(hostKey)\n"
    }

    private static func shellQuoted(_ word: String) -> String {
        let safe = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-_./=@:+,%"))
        guard word.unicodeScalars.contains(where: { !safe.contains($0) }) else { return word }
        return "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
