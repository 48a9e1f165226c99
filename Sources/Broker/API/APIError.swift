import Foundation
import HTTPTypes
import HoopCore
import Hummingbird
import NIOCore

/// A `BrokerError` as an HTTP response with the shared JSON error body.
struct APIError: HTTPResponseError {
    let error: BrokerError

    init(_ error: BrokerError) {
        self.error = error
    }

    var status: HTTPResponse.Status { Self.status(for: error.kind) }

    static func status(for kind: BrokerError.Kind) -> HTTPResponse.Status {
        switch kind {
        case .badRequest: .badRequest
        case .unauthenticated: .unauthorized
        case .forbidden: .forbidden
        case .notFound: .notFound
        case .unavailable: .serviceUnavailable
        case .badGateway: .badGateway
        case .internalFailure: .internalServerError
        case .rateLimited: .tooManyRequests
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = APIErrorBody(error: APIErrorDetail(code: error.code, message: error.message, hint: error.hint))
        let data = try HoopJSON.encoder().encode(body)
        var headers: HTTPFields = [.contentType: "application/json"]
        if error.kind == .unauthenticated {
            headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\""
        }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
