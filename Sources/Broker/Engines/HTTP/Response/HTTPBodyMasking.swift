import Masking
import NIOHTTP1

/// How one response body is masked as it streams, chosen from its headers: JSON by fields and detectors, anything
/// else by the detectors over its text. A compressed body is refused on a masked resource rather than passed
/// through unread (the broker asks targets for `identity`; one that compresses anyway is not trusted to be read).
enum HTTPBodyMasking {
    /// No masking: the resource has no policy, or the response has no body.
    case none
    case json(JSONBodyMasker)
    case text(StreamMasker)
    /// The body cannot be masked: why.
    case refused(String)

    /// The largest single JSON value read whole while masking.
    static let largestJSONToken = 16 << 20

    init(masker: ValueMasker?, headers: HTTPHeaders) {
        guard let masker else {
            self = .none
            return
        }
        let encodings = headers[canonicalForm: "content-encoding"].map { $0.lowercased() }.filter { $0 != "identity" }
        if let encoding = encodings.first {
            self = .refused(
                "the target sent a \(encoding)-encoded body, which the broker cannot mask; masked resources are "
                    + "served uncompressed")
            return
        }
        let media = HTTPMediaType(headers.first(name: "content-type") ?? "application/octet-stream")
        if media.isStructuredBinary {
            self = .refused("the target answered \(media.essence), a binary encoding the broker cannot mask")
            return
        }
        self =
            media.isJSON
            ? .json(JSONBodyMasker(masker: masker, largestToken: Self.largestJSONToken))
            : .text(StreamMasker(masker: masker))
    }

    /// Whether masked bytes may differ in length from the target's, so its `Content-Length` cannot be kept.
    var changesLength: Bool {
        switch self {
        case .none, .refused: false
        case .json, .text: true
        }
    }

    var summary: MaskingSummary {
        switch self {
        case .json(let masker): masker.summary
        case .text(var masker): masker.takeSummary()
        case .none, .refused: MaskingSummary()
        }
    }

    mutating func feed(_ bytes: some Collection<UInt8>) throws(JSONStreamError) -> [UInt8] {
        switch self {
        case .none, .refused: return Array(bytes)
        case .json(var masker):
            defer { self = .json(masker) }
            return try masker.feed(bytes)
        case .text(var masker):
            defer { self = .text(masker) }
            return masker.feed(bytes)
        }
    }

    mutating func finish() throws(JSONStreamError) -> [UInt8] {
        switch self {
        case .none, .refused: return []
        case .json(var masker):
            defer { self = .json(masker) }
            return try masker.finish()
        case .text(var masker):
            defer { self = .text(masker) }
            return masker.finish()
        }
    }
}
