import Foundation

/// A loopback port that accepts connections (the kernel completes the handshake from the listen backlog) and
/// never says a word: a hung server, or another service on the target's port.
final class SilentListener: Sendable {
    let port: Int
    private let descriptor: Int32

    init() throws {
        port = try TestEnvironment.freePort()
        guard let descriptor = TestEnvironment.boundSocket(port: port) else {
            throw PeerError("cannot bind 127.0.0.1:\(port)")
        }
        guard listen(descriptor, 16) == 0 else {
            close(descriptor)
            throw PeerError("cannot listen on 127.0.0.1:\(port)")
        }
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
    }
}
