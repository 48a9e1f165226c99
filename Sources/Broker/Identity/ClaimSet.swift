import Foundation
import JWTKit

/// The verified claims of an access token, kept as a dictionary because the groups and email claim names are
/// configurable per issuer. jwt-kit checks the signature; the claim rules are ours (`TokenVerifier`), so every
/// refusal gets its own precise reason.
struct ClaimSet: JWTPayload {
    var values: [String: ClaimValue]

    init(values: [String: ClaimValue]) {
        self.values = values
    }

    init(from decoder: any Decoder) throws {
        values = try decoder.singleValueContainer().decode([String: ClaimValue].self)
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(values)
    }

    func verify(using algorithm: some JWTAlgorithm) async throws {}

    func string(_ name: String) -> String? {
        if case .string(let value) = values[name] { return value }
        return nil
    }

    func date(_ name: String) -> Date? {
        if case .number(let seconds) = values[name] { return Date(timeIntervalSince1970: seconds) }
        return nil
    }

    /// A claim that may be one string, a list, or a space-separated string (as some providers emit groups).
    func strings(_ name: String) -> [String] {
        switch values[name] {
        case .string(let value): value.split(separator: " ").map(String.init)
        case .strings(let list): list
        default: []
        }
    }
}
