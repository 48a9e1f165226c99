/// The pieces of a bundle's tar stream, for the broker that sends one (`TarHeader` has the format).
package enum BundleTarEncoding {
    /// A whole file: header, content and padding.
    package static func file(_ path: String, _ bytes: [UInt8]) throws(TarError) -> [UInt8] {
        try TarHeader(path: path, size: Int64(bytes.count)).encoded() + bytes
            + [UInt8](repeating: 0, count: TarHeader.padding(after: Int64(bytes.count)))
    }

    /// The bundle's in-memory files (`EvidenceBundle.files`), sorted by path, as one run of the stream.
    package static func inlineFiles(of bundle: EvidenceBundle) throws(TarError) -> [UInt8] {
        var bytes: [UInt8] = []
        for (path, content) in bundle.files.sorted(by: { $0.key < $1.key }) { bytes += try file(path, content) }
        return bytes
    }

}
