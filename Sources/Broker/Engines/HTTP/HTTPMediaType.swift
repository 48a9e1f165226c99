import Foundation

/// A `Content-Type` value reduced to what the broker decides on: its `type/subtype`, lowercased, without
/// parameters.
struct HTTPMediaType: Sendable, Equatable {
    let essence: String

    init(_ header: String) {
        let bare = header.split(separator: ";", maxSplits: 1).first.map(String.init) ?? ""
        essence = bare.trimmingCharacters(in: .whitespaces).lowercased()
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
}
