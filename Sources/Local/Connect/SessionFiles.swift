import Foundation

/// The directory `hoopctl connect` keeps a session's local files in (`sessions/<id>/` under the config directory),
/// 0700, holding 0600 files, removed when the session's connect ends.
enum SessionFiles {
    /// The path of the session's file `name`, creating the session's directory if needed.
    static func path(_ name: String, session: String) throws(LocalError) -> String {
        let directory = try directory(session)
        try SecureFile.ensureDirectory(directory)
        return directory.joinedPath(name)
    }

    static func write(_ contents: String, to path: String) throws(LocalError) {
        try SecureFile.write(Data(contents.utf8), to: path)
    }

    static func remove(session: String) {
        guard let directory = try? directory(session) else { return }
        try? FileManager.default.removeItem(atPath: directory)
    }

    private static func directory(_ session: String) throws(LocalError) -> String {
        let base = try ConfigDirectory.resolve(environment: ProcessInfo.processInfo.environment)
        return base.file("sessions").joinedPath(session)
    }
}
