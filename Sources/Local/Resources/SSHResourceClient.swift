import HoopCore

/// `ssh` resources: OpenSSH's ssh, scp and sftp, verifying the broker's host key through a known_hosts file kept
/// for the session.
struct SSHResourceClient: ResourceClient {
    var type: ResourceType { .ssh }
    var exec: ExecStyle? { .command(SSHExec.Runner()) }

    func complete(_ details: inout ConnectionDetails, granted: SessionGrantResponse) throws(LocalError) {
        guard let credentials = granted.credentials, let hostKey = credentials.hostKey else { return }
        let knownHostsFile = try SSHSessionFiles.writeKnownHosts(
            session: granted.session.id, resource: granted.session.resource, hostKey: hostKey)
        let options = SSHClientOptions(resource: details.resource, knownHostsFile: knownHostsFile)
        details.sshOptions = options.arguments
        details.command = options.command(port: details.port, user: credentials.user, host: details.host)
    }

    func cleanUp(session: String) {
        SSHSessionFiles.remove(session: session)
    }

    func example(_ details: ConnectionDetails) -> String {
        guard let command = details.command, let password = details.password else {
            return ", e.g. ssh -p \(details.port) USER@\(details.host)"
        }
        return ", e.g.\n  \(command)\npassword (for this session only): \(password)\n"
            + "(scp and sftp take the same -o options, with -P \(details.port))"
    }
}
