package import Foundation

/// What a `MountedRoute` answers: a status, headers and a body sent whole or streamed (server-sent events).
package struct MountedResponse: Sendable {
    package enum Body: Sendable {
        case bytes(Data)
        case stream(AsyncThrowingStream<Data, any Error>)
    }

    package var status: Int
    package var headers: [String: String]
    package var body: Body

    package init(status: Int, headers: [String: String], body: Body) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}
