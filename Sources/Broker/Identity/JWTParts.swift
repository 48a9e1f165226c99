import Foundation
import HoopCore

/// The three parts of a compact JWS, decoded just enough to route and pre-check a token before any signature work:
/// algorithm pinning and key selection must happen on our terms, not the library's defaults.
struct JWTParts {
    struct Header: Decodable {
        var alg: String?
        var kid: String?
        var typ: String?
    }

    var header: Header
    /// The unverified claims, used only to pick the issuer whose keys will verify the token.
    var claims: [String: ClaimValue]

    init(_ token: String) throws(TokenRejection) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw .malformed("expected 3 dot-separated parts, found \(parts.count)")
        }
        guard let headerData = Base64URL.decode(parts[0]) else {
            throw .malformed("the header is not base64url")
        }
        guard let payloadData = Base64URL.decode(parts[1]) else {
            throw .malformed("the payload is not base64url")
        }
        do {
            header = try JSONDecoder().decode(Header.self, from: headerData)
        } catch {
            throw .malformed("the header is not a JSON object")
        }
        do {
            claims = try JSONDecoder().decode([String: ClaimValue].self, from: payloadData)
        } catch {
            throw .malformed("the payload is not a JSON object")
        }
    }

    var issuer: String? {
        if case .string(let value) = claims["iss"] { return value }
        return nil
    }
}

/// A claim value. Only the shapes OIDC access tokens use are distinguished; anything else is kept opaque.
enum ClaimValue: Codable, Equatable, Sendable {
    case string(String)
    case number(Double)
    case strings([String])
    case other

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let list = try? container.decode([String].self) {
            self = .strings(list)
        } else {
            self = .other
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .string(let text): try container.encode(text)
        case .number(let number): try container.encode(number)
        case .strings(let list): try container.encode(list)
        case .other: try container.encodeNil()
        }
    }
}
