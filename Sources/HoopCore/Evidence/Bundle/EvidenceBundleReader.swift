package import Foundation

/// Loads a bundle directory into memory, every regular file by its path relative to the directory. Nothing is
/// interpreted here: what the files mean, and whether they are genuine, is the verifier's job.
package enum EvidenceBundleReader {
    package static func read(from directory: URL) throws(EvidenceBundleIOError) -> EvidenceBundle {
        let root = directory.standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw EvidenceBundleIOError(path: root.path, reason: "not a directory")
        }
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else {
            throw EvidenceBundleIOError(path: root.path, reason: "cannot list the directory")
        }
        var files: [String: [UInt8]] = [:]
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in walker {
            let file = url.standardizedFileURL
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true else { continue }
            guard file.path.hasPrefix(prefix) else { continue }
            do {
                files[String(file.path.dropFirst(prefix.count))] = Array(try Data(contentsOf: file))
            } catch {
                throw EvidenceBundleIOError(path: file.path, reason: "cannot read: \(error.localizedDescription)")
            }
        }
        return EvidenceBundle(files: files)
    }
}
