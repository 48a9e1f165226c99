import Foundation
import HTTPTypes
import HoopCore
import Hummingbird
import NIOCore
import NIOFoundationCompat

/// A response body encoded with the API's JSON dialect (`HoopJSON`), whatever the request context's coders are.
struct JSONReply<Value: Encodable & Sendable>: ResponseGenerator {
    var value: Value
    var status: HTTPResponse.Status = .ok

    func response(from request: Request, context: some RequestContext) throws -> Response {
        try response()
    }

    /// The response on its own, for handlers that choose between several reply types.
    func response() throws -> Response {
        let data = try HoopJSON.encoder().encode(value)
        return Response(
            status: status,
            headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}

extension Request {
    /// Decodes a JSON body of at most 64 KiB, answering 400 with the decoding problem otherwise.
    func decodeJSON<Value: Decodable>(_ type: Value.Type) async throws -> Value {
        let body = try await body.collect(upTo: 64 * 1024)
        do {
            return try HoopJSON.decoder().decode(Value.self, from: Data(buffer: body))
        } catch {
            throw APIError(BrokerError(.badRequest, code: "bad_request", message: "unreadable JSON body: \(error)"))
        }
    }
}
