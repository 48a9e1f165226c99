import HoopCore
import Masking

/// What the recording keeps of a statement the client sent, on a masked resource, for every SQL engine: the
/// detectors run over its text and text parameters, and where the resource has column rules every literal, comment
/// and parameter value is replaced too (by the engine's own `redact`, which reads literals as its server does),
/// since a literal the agent typed may be a ruled value it guessed.
enum RecordedStatement {
    /// The recording detail keys that carry client-supplied text.
    enum Key: String {
        case sql, parameters, call, refused
    }

    static func masked(
        _ details: [String: JSONValue], _ masker: ValueMasker, redact: (String) -> String
    ) -> [String: JSONValue] {
        let strict = !masker.policy.columns.isEmpty
        let detectors = masker.withoutTokens
        var masked = details
        for (name, value) in details {
            switch (Key(rawValue: name), strict) {
            case (.sql, true), (.refused, true):
                masked[name] = detect(value.map { .string(redact($0)) }, detectors)
            case (.parameters, true):
                masked[name] = value.redactingValues
            case (.call, true):
                masked[name] = .string("function call (arguments withheld: this resource masks columns)")
            default:
                masked[name] = detect(value, detectors)
            }
        }
        return masked
    }

    /// Strings (statement text, text parameters) with the resource's detectors applied.
    private static func detect(_ value: JSONValue, _ masker: ValueMasker) -> JSONValue {
        switch value {
        case .string(let text): .string(masker.mask(text).text)
        case .array(let items): .array(items.map { detect($0, masker) })
        default: value
        }
    }
}

extension JSONValue {
    /// The string inside, transformed; anything else unchanged.
    fileprivate func map(_ transform: (String) -> JSONValue) -> JSONValue {
        if case .string(let text) = self { return transform(text) }
        return self
    }

    /// Every non-null value replaced by `?`, keeping the shape (how many parameters, which were NULL).
    fileprivate var redactingValues: JSONValue {
        switch self {
        case .null: .null
        case .array(let items): .array(items.map(\.redactingValues))
        default: .string("?")
        }
    }
}
