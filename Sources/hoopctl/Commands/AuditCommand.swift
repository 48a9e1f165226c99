import ArgumentParser

/// `hoopctl audit`: evidence for auditors.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Export audit evidence from the broker, or verify an exported bundle offline.",
        subcommands: [AuditExportCommand.self, AuditVerifyCommand.self, AuditProveCommand.self]
    )
}
