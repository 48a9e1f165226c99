import Foundation
import NIOCore
import NIOSSH

/// Copies our standard input into the command's, in chunks, on a thread of its own: it works the same for a pipe,
/// a terminal or a regular file (which event loops cannot poll). Each chunk waits until the channel has taken it,
/// so a slow command slows the reading down instead of filling memory. End of input becomes the channel's EOF.
enum StandardInputPump {
    static let chunkSize = 256 * 1024

    /// `finished` runs on the channel's event loop once input has ended.
    static func start(into channel: any Channel, finished: @escaping () -> Void) {
        let finished = NIOLoopBound(finished, eventLoop: channel.eventLoop)
        Thread.detachNewThread {
            var buffer = [UInt8](repeating: 0, count: chunkSize)
            while true {
                let count = read(STDIN_FILENO, &buffer, buffer.count)
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                let data = SSHChannelData(type: .channel, data: .byteBuffer(ByteBuffer(bytes: buffer[0..<count])))
                do {
                    try channel.writeAndFlush(data).wait()
                } catch {
                    return
                }
            }
            channel.eventLoop.execute { finished.value() }
        }
    }
}
