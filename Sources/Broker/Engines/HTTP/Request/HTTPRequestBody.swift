import Foundation
import MCP

/// A request body as guardrails read it: JSON and form bodies become fields `body:` conditions match; anything
/// else, or a body that does not parse, cannot be read with certainty.
enum HTTPRequestBody: Sendable {
    /// No body at all.
    case empty
    /// Fields read from a JSON or form body; a JSON array's elements are under `items`, whose elements conditions
    /// read each in turn.
    case fields([String: Value])
    /// A body the broker cannot read with certainty, and why: conditions on the body match it (fail closed).
    case unreadable(String)

    init(_ bytes: [UInt8], contentType: String?) {
        guard !bytes.isEmpty else {
            self = .empty
            return
        }
        let media = contentType.map(HTTPMediaType.init) ?? HTTPMediaType("application/octet-stream")
        if !media.isUTF8, media.isJSON || media.charset != "iso-8859-1" {
            // Form values read as ISO-8859-1 too (see `PercentEncoding.formPairs`); other charsets are not read.
            self = .unreadable("a body in charset \(media.charset ?? "")")
        } else if media.isJSON {
            self = Self.json(bytes)
        } else if media.essence == "application/x-www-form-urlencoded" {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                self = .unreadable("a form body that is not UTF-8")
                return
            }
            self = .fields(Self.fields(PercentEncoding.formPairs(text)))
        } else {
            self = .unreadable("a \(media.essence) body")
        }
    }

    /// Parameters as fields: a name given more than once is an array of its values, so a condition reads each.
    static func fields(_ pairs: [(name: String, value: String)]) -> [String: Value] {
        var fields: [String: [Value]] = [:]
        for pair in pairs { fields[pair.name, default: []].append(.string(pair.value)) }
        return fields.mapValues { $0.count == 1 ? $0[0] : .array($0) }
    }

    private static func json(_ bytes: [UInt8]) -> HTTPRequestBody {
        var rewriter = JSONStreamRewriter(largestToken: bytes.count + 1)
        do {
            _ = try rewriter.feed(bytes) { _, _ in nil }
            _ = try rewriter.finish { _, _ in nil }
        } catch {
            return .unreadable("a JSON body that does not parse (\(error))")
        }
        if let key = rewriter.duplicateKey {
            return .unreadable("a JSON body that repeats the key '\(key)', which servers read differently")
        }
        guard let value = try? JSONDecoder().decode(Value.self, from: Data(bytes)) else {
            return .unreadable("a JSON body that does not parse")
        }
        switch value {
        case .object(let fields): return .fields(fields)
        case .array: return .fields(["items": value])
        default: return .fields(["value": value])
        }
    }

    /// Whether every condition holds; on an unreadable body every condition is taken to hold.
    func satisfies(_ conditions: [ToolArgumentCondition]) -> Bool {
        switch self {
        case .empty: conditions.isEmpty
        case .fields(let fields):
            conditions.allSatisfy { condition in
                // A top-level array's elements, at any depth of nesting, are read as the body itself, as well as
                // under `items`: bulk endpoints take `[[{...}]]` as readily as `[{...}]`.
                if case .array(let items)? = fields["items"], fields.count == 1 {
                    return Self.objects(in: items).contains { Self.holds(condition, in: $0) }
                        || Self.holds(condition, in: fields)
                }
                return Self.holds(condition, in: fields)
            }
        case .unreadable: true
        }
    }

    /// Whether `condition` holds in `fields` as exact binders read them or as case-insensitive ones do (ASP.NET,
    /// Jackson with case-insensitive properties, many query-string binders): `{"Name": "root"}` sets `name` there,
    /// and keys differing only in case are both read.
    static func holds(_ condition: ToolArgumentCondition, in fields: [String: Value]) -> Bool {
        if condition.holds(in: fields) { return true }
        var folded = condition
        folded.path = condition.path.map { $0.lowercased() }
        return folded.holds(in: foldedKeys(fields))
    }

    private static func objects(in items: [Value]) -> [[String: Value]] {
        items.flatMap { item -> [[String: Value]] in
            switch item {
            case .object(let object): [object]
            case .array(let nested): objects(in: nested)
            default: []
            }
        }
    }

    /// `fields` with every key lowercased, at every depth; values whose keys collide are kept side by side.
    private static func foldedKeys(_ fields: [String: Value]) -> [String: Value] {
        var out: [String: Value] = [:]
        for (key, value) in fields {
            let value = foldedKeys(value)
            out[key.lowercased()] = out[key.lowercased()].map { .array([$0, value]) } ?? value
        }
        return out
    }

    private static func foldedKeys(_ value: Value) -> Value {
        switch value {
        case .object(let fields): .object(foldedKeys(fields))
        case .array(let items): .array(items.map(foldedKeys))
        default: value
        }
    }
}
