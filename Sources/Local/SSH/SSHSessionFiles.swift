import Foundation

/// Files `hoopctl connect` keeps for an SSH session under the config directory (`sessions/<id>/`), 0600 in a 0700
/// directory, removed when the tunnel closes.
enum SSHSessionFiles {
    /// Writes the broker's host key as the known_hosts file OpenSSH is pointed at; returns its path.
    static func writeKnownHosts(session: String, resource: String, hostKey: String) throws(LocalError) -> String {
        let directory = try sessionDirectory(session)
        try SecureFile.ensureDirectory(directory)
        let file = directory.joinedPath("known_hosts")
        let options = SSHClientOptions(resource: resource, knownHostsFile: file)
        try SecureFile.write(Data(options.knownHostsLine(hostKey: hostKey).utf8), to: file)
        return file
    }

    static func remove(session: String) {
        guard let directory = try? sessionDirectory(session) else { return }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func sessionDirectory(_ session: String) throws(LocalError) -> String {
        let base = try ConfigDirectory.resolve(environment: ProcessInfo.processInfo.environment)
        return base.file("sessions").joinedPath(session)
    }
}
