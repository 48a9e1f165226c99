import Foundation
import HTTPTypes
import Hummingbird

/// What every POST on the page must pass before it is read: it comes from the page's own origin (`Origin`, or
/// `Referer` when a browser sends no Origin) and carries the CSRF token of the session it is made in. Either alone
/// would stop a plain cross-site form; together they also hold against a sibling origin that can plant cookies or
/// a browser that omits one header.
struct WebFormGuard: Sendable {
    /// Why a POST was refused; each is shown to the person and answered 403.
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case crossOrigin(String)
        case noOrigin
        case csrfMismatch

        var description: String {
            switch self {
            case .crossOrigin(let origin): "the form was sent from \(origin), not from this page"
            case .noOrigin: "the form came with neither Origin nor Referer, so its origin is unknown"
            case .csrfMismatch: "the form's CSRF token is missing or belongs to another session; reload the page"
            }
        }
    }

    /// The biggest form the page accepts (a comment is at most a few kilobytes).
    static let largestForm = 16 * 1024

    let origin: String

    func checkOrigin(_ request: Request) throws(Refusal) {
        if let sent = request.headers[.origin] {
            guard sent == origin else { throw .crossOrigin(sent) }
            return
        }
        guard let referer = request.headers[.referer] else { throw .noOrigin }
        guard referer == origin || referer.hasPrefix(origin + "/") else { throw .crossOrigin(referer) }
    }

    func checkToken(_ presented: String?, session: WebSession) throws(Refusal) {
        guard let presented, RandomSecret.equal(presented, session.csrfToken) else { throw .csrfMismatch }
    }

    /// Reads the form of a POST that passed the origin check; its token is checked by the caller against the
    /// request's session.
    func form<Form: Decodable>(_ type: Form.Type, from request: Request) async throws -> Form {
        try checkOrigin(request)
        let buffer = try await request.body.collect(upTo: Self.largestForm)
        return try URLEncodedFormDecoder().decode(Form.self, from: String(buffer: buffer))
    }
}
