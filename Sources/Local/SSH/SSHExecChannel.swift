import Foundation
import HoopCore
import NIOCore
import NIOSSH

/// The session channel that runs the command: sends `exec`, streams standard input once the broker accepted it
/// (or sends EOF), hands what comes back to the caller's streams, and completes with the exit status when the channel closes.
final class SSHExecChannel: ChannelInboundHandler {
    typealias InboundIn = SSHChannelData

    private let command: String
    private let streams: CommandStreams
    private let exit: EventLoopPromise<CommandExit>
    private var outcome: CommandExit?
    /// Whether the broker sent EOF; the SSH library refuses to send ours after it, so then none is sent.
    private var remoteSentEOF = false

    private init(command: String, streams: CommandStreams, exit: EventLoopPromise<CommandExit>) {
        self.command = command
        self.streams = streams
        self.exit = exit
    }

    /// Opens the channel on a connection whose `NIOSSHHandler` is installed; runs on the connection's event loop.
    static func open(
        on connection: any Channel, command: String, streams: CommandStreams, exit: EventLoopPromise<CommandExit>
    ) {
        guard let ssh = try? connection.pipeline.syncOperations.handler(type: NIOSSHHandler.self) else {
            exit.fail(SSHExecFailure(message: "the tunnel closed before the command could start"))
            return
        }
        let opened = connection.eventLoop.makePromise(of: (any Channel).self)
        ssh.createChannel(opened, channelType: .session) { child, _ in
            child.eventLoop.makeCompletedFuture {
                try child.syncOptions?.setOption(ChannelOptions.allowRemoteHalfClosure, value: true)
                try child.pipeline.syncOperations.addHandler(
                    SSHExecChannel(command: command, streams: streams, exit: exit))
            }
        }
        opened.futureResult.whenFailure { error in
            exit.fail(SSHExecFailure(message: "the broker did not open an SSH channel: \(error)"))
        }
    }

    func channelActive(context: ChannelHandlerContext) {
        context.triggerUserOutboundEvent(
            SSHChannelRequestEvent.ExecRequest(command: command, wantReply: true), promise: nil)
        context.fireChannelActive()
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelSuccessEvent:
            if streams.readsStandardInput {
                StandardInputPump.start(into: context.channel, finished: { self.inputEnded(context) })
            } else {
                inputEnded(context)
            }
        case let channelEvent as ChannelEvent where channelEvent == .inputClosed:
            remoteSentEOF = true
        case is ChannelFailureEvent:
            exit.fail(SSHExecFailure(message: "the target refused to run the command"))
            context.close(promise: nil)
        case let status as SSHChannelRequestEvent.ExitStatus:
            outcome = .status(status.exitStatus)
        case let signal as SSHChannelRequestEvent.ExitSignal:
            outcome = .signal(signal.signalName)
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// Our standard input ended: EOF to the command, unless the broker already ended its side.
    private func inputEnded(_ context: ChannelHandlerContext) {
        if !remoteSentEOF { context.close(mode: .output, promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let message = unwrapInboundIn(data)
        guard case .byteBuffer(let buffer) = message.data else { return }
        streams.write(message.type == .stdErr ? .error : .output, buffer.readableBytesView)
    }

    func channelInactive(context: ChannelHandlerContext) {
        if let outcome {
            exit.succeed(outcome)
        } else {
            exit.fail(SSHExecFailure(message: "the connection closed before the command reported an exit status"))
        }
        context.fireChannelInactive()
    }
}
