/// Names the classes of one program run with its arguments, once `CommandReader` has looked through wrappers. Read
/// only options and verbs that change what a program does (`rm -r`, `systemctl stop`, `apt install`); a program
/// this table does not know has no class. When the arguments are not all known (`xargs rm` takes more from its
/// input), a program gets every class it could have.
enum CommandClassifier {
    /// The classes of `program` (without its directory) run with `arguments`, and whether it runs something the
    /// judge cannot read through an option (`tar --to-command`, `rsync -e`).
    static func classify(_ program: String, _ arguments: ArraySlice<String>, unknownArguments: Bool)
        -> (classes: Set<CommandClass>, unreadable: Bool)
    {
        if let fixed = fixedClasses[program] { return (fixed, false) }
        if diskWriters.contains(program) || program.hasPrefix("mkfs.") { return ([.diskWrite], false) }
        switch program {
        case "rm":
            let read = rm.read(arguments)
            let recursive = unknownArguments || read.has("r", "R", "recursive")
            return (recursive ? [.fileDelete, .recursiveDelete] : [.fileDelete], false)
        case "shred":
            let read = OptionGrammar(valued: ["n", "s", "iterations", "size", "random-source"]).read(arguments)
            return (unknownArguments || read.has("u", "remove") ? [.diskWrite, .fileDelete] : [.diskWrite], false)
        case "rsync":
            let read = rsync.read(arguments)
            let deletes = unknownArguments || read.names.contains { $0.hasPrefix("del") || $0 == "remove-source-files" }
            let unreadable = read.has("e", "rsh", "rsync-path") || unknownArguments
            return (deletes ? [.networkTransfer, .fileDelete, .recursiveDelete] : [.networkTransfer], unreadable)
        case "ssh":
            // The remote command runs elsewhere; options such as ProxyCommand or LocalCommand run one here.
            return ([.networkTransfer], arguments.contains { $0.hasPrefix("-o") || $0 == "-F" } || unknownArguments)
        case "cp", "mv", "ln", "install", "tee":
            // `cp /bin/rm /tmp/x` makes a name the judge does not know for a program it classes, and
            // `tee /dev/sda`, `cp img /dev/sda` write a disk.
            let operands = arguments.filter { !$0.hasPrefix("-") }
            let disk = operands.contains(where: isDisk)
            let renames = program != "tee" && operands.dropLast().contains { isGuarded(basename($0)) }
            return (disk ? [.diskWrite] : [], renames || unknownArguments)
        case "git":
            // `git -c core.pager=...`, `--config-env`, `--exec-path` choose programs git runs.
            var index = arguments.startIndex
            while index < arguments.endIndex, arguments[index].hasPrefix("-") {
                let word = arguments[index]
                if word.hasPrefix("-c") || word.hasPrefix("--config-env") || word.hasPrefix("--exec-path") {
                    return ([], true)
                }
                index += ["-C", "--git-dir", "--work-tree", "--namespace"].contains(word) ? 2 : 1
            }
            return ([], unknownArguments)
        case "tar":
            let read = tar.read(arguments)
            let runs = read.names.contains { tarRunners.contains($0) }
            return ([], runs || unknownArguments)
        case "systemctl":
            let read = systemctl.read(arguments)
            let verb = read.operands.first.map { arguments[$0] }
            let readOnly = !unknownArguments && read.problems.isEmpty && verb.map(systemctlReaders.contains) == true
            return (readOnly || read.has("help", "h", "version") ? [] : [.serviceControl], false)
        case "service":
            let last = arguments.last
            let readOnly = !unknownArguments && (arguments.first == "--status-all" || last == "status")
            return (readOnly ? [] : [.serviceControl], false)
        case "dpkg":
            let read = OptionGrammar().read(arguments)
            let changes = ["i", "r", "P", "install", "remove", "purge", "unpack", "configure", "triggers-only"]
            return (unknownArguments || changes.contains(where: read.names.contains) ? [.packageInstall] : [], false)
        case "rpm":
            let read = OptionGrammar().read(arguments)
            let queries = read.has("q", "V", "query", "verify")
            let changes = ["i", "U", "F", "e", "install", "upgrade", "freshen", "erase", "reinstall"]
            let installs = !queries && changes.contains(where: read.names.contains)
            return (unknownArguments || installs ? [.packageInstall] : [], false)
        case "pacman":
            let operations = arguments.filter { $0.hasPrefix("-") && !$0.hasPrefix("--") }.joined()
            let long = arguments.contains { ["--sync", "--remove", "--upgrade"].contains($0) }
            let searches = operations.contains("S") && operations.contains(where: { "silgp".contains($0) })
            let changes = long || (operations.contains(where: { "SRU".contains($0) }) && !searches)
            return (unknownArguments || changes ? [.packageInstall] : [], false)
        default:
            break
        }
        if packageManagers.contains(program) || program.hasPrefix("pip") {
            let changes = unknownArguments || arguments.contains(where: packageVerbs.contains)
            return (changes ? [.packageInstall] : [], false)
        }
        return ([], false)
    }

    /// A block device or memory: writing it bypasses every file system check.
    static func isDisk(_ path: String) -> Bool {
        let disks = [
            "/dev/sd", "/dev/hd", "/dev/vd", "/dev/xvd", "/dev/nvme", "/dev/mmcblk", "/dev/dm-", "/dev/mapper/",
            "/dev/disk/", "/dev/md", "/dev/loop", "/dev/mem", "/dev/kmem", "/dev/port", "/dev/root",
        ]
        return disks.contains(where: path.hasPrefix)
    }

    /// A program the judge classes, looks through or cannot read: copied or linked under another name, it would
    /// escape the rules.
    private static func isGuarded(_ name: String) -> Bool {
        !classify(name, [], unknownArguments: true).classes.isEmpty || CommandWrappers.step(name, []) != nil
            || ShellInvocation.shells.contains(name) || Interpreters.opaque(name, [])
            || ["eval", "source", "find"].contains(name)
    }

    private static func basename(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    // MARK: Tables

    private static let fixedClasses: [String: Set<CommandClass>] = {
        var table: [String: Set<CommandClass>] = [:]
        for name in ["rmdir", "unlink", "srm"] { table[name] = [.fileDelete] }
        for name in [
            "kill", "killall", "pkill", "skill", "reboot", "shutdown", "halt", "poweroff", "telinit", "init",
            "rc-service", "initctl", "start-stop-daemon", "launchctl", "supervisorctl", "svc", "sv",
        ] { table[name] = [.serviceControl] }
        for name in [
            "curl", "wget", "scp", "sftp", "nc", "ncat", "netcat", "socat", "ftp", "tftp", "telnet", "aria2c",
            "lftp", "rclone", "http", "https", "axel", "smbclient", "mosh",
        ] { table[name] = [.networkTransfer] }
        for name in ["chmod", "chown", "chgrp", "chattr", "setfacl", "setcap", "chcon"] {
            table[name] = [.permissionChange]
        }
        for name in [
            "useradd", "userdel", "usermod", "adduser", "deluser", "addgroup", "delgroup", "groupadd", "groupdel",
            "groupmod", "passwd", "chpasswd", "chage", "gpasswd", "vipw", "vigr", "newusers", "chsh", "chfn",
        ] { table[name] = [.userManagement] }
        return table
    }()

    private static let diskWriters: Set<String> = [
        "dd", "mkfs", "mke2fs", "mkswap", "mkdosfs", "mkntfs", "wipefs", "fdisk", "sfdisk", "cfdisk", "parted",
        "gdisk", "sgdisk", "blkdiscard", "badblocks", "zpool", "lvremove", "vgremove", "pvremove", "cryptsetup",
        "dmsetup", "losetup", "hdparm", "sg_format",
    ]

    private static let packageManagers: Set<String> = [
        "apt", "apt-get", "aptitude", "yum", "dnf", "microdnf", "zypper", "apk", "snap", "flatpak", "brew",
        "pipx", "npm", "pnpm", "yarn", "gem", "cargo", "conda", "mamba", "port", "pkg", "emerge", "nix-env",
        "go", "composer",
    ]

    private static let packageVerbs: Set<String> = [
        "install", "reinstall", "remove", "purge", "upgrade", "full-upgrade", "dist-upgrade", "autoremove",
        "autopurge", "build-dep", "erase", "update", "downgrade", "add", "del", "localinstall", "groupinstall",
        "uninstall", "i", "in", "rm", "un", "unlink", "link", "dist-sync", "distro-sync", "-i", "-e", "--install",
        "--uninstall", "-g",
    ]

    private static let systemctlReaders: Set<String> = [
        "status", "show", "cat", "list-units", "list-unit-files", "list-sockets", "list-timers", "list-jobs",
        "list-dependencies", "list-machines", "is-active", "is-enabled", "is-failed", "is-system-running", "help",
        "get-default", "show-environment",
    ]

    private static let rm = OptionGrammar(
        flags: [
            "f", "i", "I", "r", "R", "d", "v", "force", "interactive", "one-file-system", "no-preserve-root",
            "preserve-root", "recursive", "dir", "verbose", "help", "version",
        ])

    private static let rsync = OptionGrammar(
        valued: ["e", "rsh", "rsync-path", "f", "filter", "exclude", "include", "T", "temp-dir", "B", "port"],
        flags: [
            "delete", "delete-before", "delete-during", "delete-delay", "delete-after", "delete-excluded",
            "delete-missing-args", "del", "remove-source-files", "recursive", "archive",
        ])

    private static let tar = OptionGrammar(
        valued: ["f", "file", "C", "directory", "I", "use-compress-program", "F", "info-script", "new-volume-script"],
        flags: ["to-command", "checkpoint-action", "x", "c", "t", "v", "z", "j", "J"])

    /// Tar options that run a program of the caller's choosing.
    private static let tarRunners: Set<String> = [
        "I", "use-compress-program", "F", "info-script", "new-volume-script", "to-command", "checkpoint-action",
    ]

    private static let systemctl = OptionGrammar(
        valued: [
            "t", "type", "p", "property", "H", "host", "M", "machine", "n", "lines", "o", "output", "s", "signal",
            "state", "root", "image", "kill-whom", "kill-value", "job-mode", "what", "timestamp", "message",
            "boot-loader-entry", "boot-loader-menu", "reboot-argument", "when", "preset-mode", "drop-in",
        ],
        flags: [
            "a", "all", "l", "full", "q", "quiet", "no-pager", "no-legend", "user", "system", "now", "value", "r",
            "recursive", "help", "h", "version", "plain", "failed", "no-block", "no-ask-password", "global",
        ])
}
