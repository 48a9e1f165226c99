import Foundation

/// A `Content-Type` value reduced to what the broker decides on: its `type/subtype`, lowercased, and its charset.
struct HTTPMediaType: Sendable, Equatable {
    let essence: String
    /// The `charset` parameter, lowercased and unquoted; nil when there is none.
    let charset: String?

    init(_ header: String) {
        let parts = header.split(separator: ";", omittingEmptySubsequences: false)
        essence = (parts.first.map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        charset =
            parts.dropFirst().lazy.compactMap { parameter -> String? in
                let pair = parameter.split(separator: "=", maxSplits: 1)
                guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == "charset" else {
                    return nil
                }
                return pair[1].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: ["\""]).lowercased()
            }.first
    }

    /// JSON, and the JSON sequences streams use (`application/x-ndjson`, `application/json-seq`, `+json` types).
    var isJSON: Bool {
        essence == "application/json" || essence.hasSuffix("+json") || essence == "application/x-ndjson"
            || essence == "application/jsonl" || essence == "application/json-seq"
    }

    /// Length-prefixed binary encodings (protobuf, CBOR, gRPC) that masking a value inside would corrupt.
    var isStructuredBinary: Bool {
        essence.contains("protobuf") || essence.contains("cbor") || essence.hasPrefix("application/grpc")
    }

    /// Whether text in this type reads as the broker reads it: UTF-8 (ASCII is a subset), or no charset said.
    /// Targets that honour another charset (servlet containers do) would decode other characters than the
    /// broker judged.
    var isUTF8: Bool {
        guard let charset else { return true }
        return ["utf-8", "utf8", "us-ascii", "ascii"].contains(charset)
    }
}
