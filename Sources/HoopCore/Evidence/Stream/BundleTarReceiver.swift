/// Takes in an evidence bundle streamed as tar (`GET /v1/audit/export`) piece by piece. Every file goes to the
/// bundle directory when there is one, as it arrives; the small files (all but the recordings folder) are also kept
/// in memory, bounded, for what the caller reads right away (the event count, the event table). Recordings are kept
/// in memory too only when asked (a bundle checked without touching a disk).
package struct BundleTarReceiver {
    private var reader = TarStreamReader()
    private let directory: BundleDirectoryWriter?
    private let memoryLimit: Int
    private let keepsRecordings: Bool
    private var kept = 0
    private var current: (path: String, keep: Bool)?
    /// The bundle's files outside the recordings folder, and inside it too when `keepsRecordings`.
    package private(set) var files: [String: [UInt8]] = [:]

    /// `memoryLimit` bounds the bytes kept in memory, all files together.
    package init(directory: BundleDirectoryWriter?, memoryLimit: Int, keepsRecordings: Bool = false) {
        self.directory = directory
        self.memoryLimit = memoryLimit
        self.keepsRecordings = keepsRecordings
    }

    package mutating func receive(_ bytes: some Collection<UInt8>) throws(BundleStreamError) {
        let events: [TarStreamReader.Event]
        do {
            events = try reader.feed(bytes)
        } catch {
            throw .archive(error)
        }
        for event in events {
            switch event {
            case .file(let header):
                guard BundleLayout.isBundlePath(header.path) else { throw .unexpectedFile(header.path) }
                let keep = keepsRecordings || !header.path.hasPrefix(BundleLayout.recordingsFolder)
                if keep {
                    kept += Int(clamping: header.size)
                    guard kept <= memoryLimit else { throw .tooLarge(header.path, limit: memoryLimit) }
                    files[header.path] = []
                }
                current = (header.path, keep)
                do throws(EvidenceBundleIOError) { try directory?.begin(header.path) } catch { throw .disk(error) }
            case .data(let bytes):
                guard let current else { continue }
                if current.keep { files[current.path, default: []] += bytes }
                do throws(EvidenceBundleIOError) { try directory?.write(bytes) } catch { throw .disk(error) }
            case .endOfFile:
                current = nil
                do throws(EvidenceBundleIOError) { try directory?.end() } catch { throw .disk(error) }
            }
        }
    }

    /// Checks the stream ended where a tar archive ends and gives the directory its final name; the files kept in
    /// memory, as a bundle.
    @discardableResult
    package func finish() throws(BundleStreamError) -> EvidenceBundle {
        do {
            try reader.finish()
        } catch {
            throw .archive(error)
        }
        do throws(EvidenceBundleIOError) { try directory?.commit() } catch { throw .disk(error) }
        return EvidenceBundle(files: files)
    }

    /// Removes a directory written in part.
    package func abandon() {
        directory?.abandon()
    }
}

/// Why a streamed bundle could not be taken in.
package enum BundleStreamError: Error, Sendable, Equatable, CustomStringConvertible {
    case archive(TarError)
    case unexpectedFile(String)
    case tooLarge(String, limit: Int)
    case disk(EvidenceBundleIOError)

    package var description: String {
        switch self {
        case .archive(let error): "the bundle stream is not a whole tar archive: \(error)"
        case .unexpectedFile(let path): "the bundle stream holds \(path.debugDescription), which no bundle has"
        case .tooLarge(let path, let limit): "the bundle's files outgrow \(limit) bytes at \(path)"
        case .disk(let error): "\(error)"
        }
    }
}
