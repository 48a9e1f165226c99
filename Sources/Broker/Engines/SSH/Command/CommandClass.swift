/// What a command does, as an SSH guardrail names it: `match: [recursive_delete, privilege_escalation]`. A rule
/// that names a class matches the command however it is spelled — `/bin/rm -Rf`, `rm --rec -f`, `sudo -u x rm -r`,
/// `find / -delete`, `sh -c 'rm -r x'` — because `CommandClassifier` reads the program and its options after
/// `CommandWrappers` has looked through what only runs something else. The spellings are part of the config format.
package enum CommandClass: String, Sendable, Hashable, CaseIterable, Comparable {
    /// Deletes a directory tree: `rm -r`/`-R`/`--recursive`, `find -delete`, `find -exec rm`, `rsync --delete`.
    case recursiveDelete = "recursive_delete"
    /// Deletes files at all: `rm`, `rmdir`, `unlink`, `shred -u`, and everything in `recursive_delete`.
    case fileDelete = "file_delete"
    /// Writes block devices or file systems: `dd`, `mkfs*`, `wipefs`, `shred`, partitioners, `> /dev/sdX`.
    case diskWrite = "disk_write"
    /// Runs as someone else: `sudo`, `su`, `doas`, `pkexec`, `runuser`.
    case privilegeEscalation = "privilege_escalation"
    /// Starts, stops or signals services and processes: `systemctl start`, `service`, `kill`, `reboot`...
    case serviceControl = "service_control"
    /// Installs, removes or upgrades packages: `apt install`, `dpkg -i`, `pip install`, `npm install`...
    case packageInstall = "package_install"
    /// Moves data across the network: `curl`, `wget`, `scp`, `rsync`, `nc`, `ssh`, bash's `/dev/tcp`.
    case networkTransfer = "network_transfer"
    /// Changes owners, modes, attributes or capabilities: `chmod`, `chown`, `chgrp`, `chattr`, `setfacl`.
    case permissionChange = "permission_change"
    /// Changes accounts: `useradd`, `usermod`, `passwd`, `chpasswd`...
    case userManagement = "user_management"
    /// Runs code in a language the judge does not read (`python3 -c`, `perl -e`, `awk` with `system()`, `psql`):
    /// always unreadable too.
    case interpreter
    /// Runs text as shell code: `sh -c`, `eval`, `source`, a shell reading commands from its input.
    case shellEval = "shell_eval"

    package static func < (lhs: CommandClass, rhs: CommandClass) -> Bool { lhs.rawValue < rhs.rawValue }
}
