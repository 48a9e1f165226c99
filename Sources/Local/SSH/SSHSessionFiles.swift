/// The files `hoopctl connect` keeps for an SSH session (in `SessionFiles`' directory), removed when the tunnel
/// closes.
enum SSHSessionFiles {
    /// Writes the broker's host key as the known_hosts file OpenSSH is pointed at; returns its path.
    static func writeKnownHosts(session: String, resource: String, hostKey: String) throws(LocalError) -> String {
        let file = try SessionFiles.path("known_hosts", session: session)
        let options = SSHClientOptions(resource: resource, knownHostsFile: file)
        try SessionFiles.write(options.knownHostsLine(hostKey: hostKey), to: file)
        return file
    }

    static func remove(session: String) {
        SessionFiles.remove(session: session)
    }
}
