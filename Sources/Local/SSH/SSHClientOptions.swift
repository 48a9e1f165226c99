import Foundation
import HoopCore

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
        (["ssh", "-p", String(port)] + arguments + ["\(user)@\(host)"]).map(ShellWord.quotedIfNeeded).joined(
            separator: " ")
    }

    /// The known_hosts line for the broker's host key.
    func knownHostsLine(hostKey: String) -> String {
        "\(alias) \(hostKey)\n"
    }
}
