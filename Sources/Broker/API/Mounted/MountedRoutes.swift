import Foundation
import HTTPTypes
import HoopCore
import Hummingbird
import NIOCore
import NIOFoundationCompat
import Synchronization

/// Serves each `MountedRoute` on the broker's router behind the API's authenticator.
struct MountedRoutes: Sendable {
    /// An MCP message, or any other mounted request, larger than this is refused before it is read whole.
    static let largestBody = 4 << 20

    let authenticator: Authenticator
    let routes: [any MountedRoute]
    /// Set once the listener is bound: the port is only known then.
    let loopback: LoopbackAddress

    func register(on router: Router<BrokerRequestContext>) {
        for route in routes {
            let path = RouterPath(route.path)
            let handler: @Sendable (Request, BrokerRequestContext) async throws -> Response = { request, context in
                try await self.serve(request, context: context, by: route)
            }
            router.post(path, use: handler)
            router.get(path, use: handler)
            router.delete(path, use: handler)
        }
    }

    private func serve(_ request: Request, context: BrokerRequestContext, by route: any MountedRoute) async throws
        -> Response
    {
        let caller = try await authenticator.principal(for: request, context: context)
        guard let bearer = request.headers[.authorization].flatMap(Authenticator.bearerToken(in:)),
            let loopback = loopback.current
        else {
            throw APIError(BrokerError(.unavailable, code: "not_listening", message: "the broker is starting"))
        }
        let body = try await request.body.collect(upTo: Self.largestBody)
        var headers: [String: String] = [:]
        for field in request.headers {
            let name = field.name.canonicalName
            headers[name] = headers[name].map { "\($0), \(field.value)" } ?? field.value
        }
        let answer = await route.respond(
            to: MountedRequest(
                method: request.method.rawValue, headers: headers, body: Data(buffer: body), caller: caller,
                bearer: bearer, loopback: loopback))
        var fields = HTTPFields()
        for (name, value) in answer.headers {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        let status = HTTPResponse.Status(code: answer.status)
        switch answer.body {
        case .bytes(let data):
            return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        case .stream(let events):
            return Response(
                status: status, headers: fields, body: .init(asyncSequence: events.map { ByteBuffer(bytes: $0) }))
        }
    }
}

/// The broker's own API address for mounted routes, filled in when the listener is bound.
final class LoopbackAddress: Sendable {
    private let value = Mutex<BrokerLoopback?>(nil)

    var current: BrokerLoopback? { value.withLock { $0 } }

    func bound(_ loopback: BrokerLoopback) {
        value.withLock { $0 = loopback }
    }
}
