import NIOCore

/// Ends `exec` with the reason when the SSH connection itself fails (a refused login, a host key that is not the
/// broker's).
final class SSHExecConnectionWatcher: ChannelInboundHandler {
    typealias InboundIn = Never

    private let exit: EventLoopPromise<CommandExit>

    init(exit: EventLoopPromise<CommandExit>) {
        self.exit = exit
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        exit.fail(error is SSHExecFailure ? error : SSHExecFailure(message: "SSH through the tunnel failed: \(error)"))
        context.close(promise: nil)
    }

}
