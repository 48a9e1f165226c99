import Masking
import NIOHTTP1

/// Masks header values by the detectors, as bodies are: an API that echoes an e-mail address in a header, or a
/// `Location` carrying a token, leaks as surely as one that puts it in the body. Headers that frame or describe
/// the message are left alone, since masking them would break the response rather than protect anything.
enum HTTPHeaderMasking {
    static let structural: Set<String> = [
        "content-type", "content-length", "content-encoding", "date", "etag", "last-modified", "cache-control",
        "expires", "vary", "connection", "transfer-encoding", "server", "accept-ranges", "age",
    ]

    static func mask(_ headers: HTTPHeaders, _ masker: ValueMasker, _ summary: inout MaskingSummary) -> HTTPHeaders {
        var out = HTTPHeaders()
        for (name, value) in headers {
            guard !structural.contains(name.lowercased()) else {
                out.add(name: name, value: value)
                continue
            }
            let masked = masker.mask(value)
            summary.merge(masked.findings)
            out.add(name: name, value: masked.text)
        }
        return out
    }
}
