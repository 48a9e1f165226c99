import Foundation
import NIOCore

/// What a user is told about a failure from below hoopctl: the cause in plain words, never a Swift or NIO type
/// dump such as `DecodingError.dataCorrupted(Context(codingPath: ...))` or `bind(descriptor:ptr:bytes:)`.
package enum ErrorDescription {
    package static func of(_ error: any Error) -> String {
        switch error {
        case let error as LocalError:
            return error.description
        case let error as DecodingError:
            return Self.decoding(error)
        case let error as IOError:
            return String(cString: strerror(error.errnoCode))
        case let error as EncodingError:
            if case .invalidValue(_, let context) = error {
                return "a value cannot be encoded: \(context.debugDescription)"
            }
            return "a value cannot be encoded"
        default:
            return String(describing: error)
        }
    }

    /// Where in the document the problem is, and what it is.
    private static func decoding(_ error: DecodingError) -> String {
        func place(_ path: [any CodingKey]) -> String {
            guard !path.isEmpty else { return "the document" }
            return "`" + path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".") + "`"
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "\(place(context.codingPath + [key])) is missing"
        case .valueNotFound(_, let context):
            return "\(place(context.codingPath)) is null"
        case .typeMismatch(let type, let context):
            return "\(place(context.codingPath)) is not \(Self.article(for: type))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "it is not valid JSON" : "\(place(context.codingPath)) is not valid: \(context.debugDescription)"
        @unknown default:
            return "it cannot be read"
        }
    }

    private static func article(for type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type, is Int32.Type, is Double.Type: "a number"
        default: "the expected kind of value"
        }
    }
}
