/// The per-user directory holding hoopctl's state (cached tokens, pinned brokers). It holds bearer tokens, so it is
/// created 0700 and every file in it is written 0600.
package struct ConfigDirectory: Sendable, Equatable {
    package let path: String

    package init(path: String) {
        self.path = path
    }

    /// `$XDG_CONFIG_HOME/hoopctl`, else `~/.config/hoopctl`. The XDG base directory spec says a relative
    /// `XDG_CONFIG_HOME` is invalid and must be ignored.
    package static func resolve(environment: [String: String]) throws(LocalError) -> ConfigDirectory {
        if let base = environment["XDG_CONFIG_HOME"], base.hasPrefix("/") {
            return ConfigDirectory(path: base.joinedPath("hoopctl"))
        }
        guard let home = environment["HOME"], home.hasPrefix("/") else {
            throw LocalError(
                .localFile,
                "cannot find a configuration directory: neither XDG_CONFIG_HOME nor HOME is an absolute path",
                hint: "set XDG_CONFIG_HOME or HOME"
            )
        }
        return ConfigDirectory(path: home.joinedPath(".config").joinedPath("hoopctl"))
    }

    /// Path of a file in this directory.
    func file(_ name: String) -> String {
        self.path.joinedPath(name)
    }
}

extension String {
    func joinedPath(_ component: String) -> String {
        self.hasSuffix("/") ? self + component : self + "/" + component
    }
}
