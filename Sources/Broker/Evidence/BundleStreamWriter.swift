import Crypto
import HoopCore
import Logging
import NIOCore

/// Sends an exported bundle as a tar stream (`TarHeader`): the in-memory files first, then each recording segment
/// the manifest named (`EvidenceBundle.streamed`), read a page at a time from wherever it is kept. A segment is
/// checked on the way against the length and digest the manifest sealed; one that differs (it was pruned or altered
/// between the two reads) ends the stream before its end-of-archive blocks, so the client sees a cut transfer and
/// keeps nothing, rather than a bundle whose manifest lies.
struct BundleStreamWriter: Sendable {
    let bundle: EvidenceBundle
    let evidence: EvidenceService
    let logger: Logger

    func write(to sink: (ByteBuffer) async throws -> Void) async throws {
        do {
            try await sink(ByteBuffer(bytes: try BundleTarEncoding.inlineFiles(of: bundle)))
            for (path, file) in bundle.streamed.sorted(by: { $0.key < $1.key }) {
                try await sink(ByteBuffer(bytes: try TarHeader(path: path, size: file.size).encoded()))
                try await send(file, to: sink)
                try await sink(ByteBuffer(repeating: 0, count: TarHeader.padding(after: file.size)))
            }
            try await sink(ByteBuffer(bytes: TarHeader.endOfArchive))
        } catch {
            logger.error("export stream ended early", metadata: ["error": "\(error)"])
            throw error
        }
    }

    private func send(_ file: StreamedBundleFile, to sink: (ByteBuffer) async throws -> Void) async throws {
        var pages = evidence.exportedSegment(file)
        var hash = SHA256()
        var sent: Int64 = 0
        while let page = try await pages.next() {
            sent += Int64(page.count)
            guard sent <= file.size else { throw SegmentChanged(file: file) }
            hash.update(data: page)
            try await sink(ByteBuffer(bytes: page))
        }
        guard sent == file.size, hash.finalize().hexString == file.digest else { throw SegmentChanged(file: file) }
    }

    struct SegmentChanged: Error, CustomStringConvertible {
        let file: StreamedBundleFile
        var description: String { "recording \(file.segment) changed while the bundle was exported" }
    }
}
