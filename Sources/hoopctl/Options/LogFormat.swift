import ArgumentParser
import Broker
import Logging

/// How the daemons (`broker serve`, `witness serve`) write their logs to stderr.
enum LogFormat: String, ExpressibleByArgument, CaseIterable {
    case text
    case json

    /// Installs the process-wide log handler; call once, before the first logger is made.
    func bootstrap(level: Logger.Level) {
        let format = self
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}
