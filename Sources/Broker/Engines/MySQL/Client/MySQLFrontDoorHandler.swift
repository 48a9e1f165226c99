import MySQLWire
import NIOCore

/// Performs the front door's actions on the client channel: greets the client once the target has greeted the
/// broker, checks its login, and hands over to the relay once the target has accepted the broker's.
final class MySQLFrontDoorHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = MySQLPacket
    typealias OutboundOut = MySQLPacket

    private var door: MySQLFrontDoor
    private let connection: MySQLConnection

    init(door: MySQLFrontDoor, connection: MySQLConnection) {
        self.door = door
        self.connection = connection
    }

    func handlerAdded(context: ChannelHandlerContext) {
        connection.greetTarget(client: context.channel).assumeIsolated().whenComplete { result in
            switch result {
            case .success(let (greeting, clientID)):
                let packet = self.door.greeting(for: greeting, connectionID: clientID)
                context.writeAndFlush(self.wrapOutboundOut(packet), promise: nil)
            case .failure(let error):
                // A server may answer a connection with an error packet instead of a greeting; clients show it.
                self.refuse(
                    context, .targetUnavailable, "the broker could not reach the target: \(error)", sequenceID: 0)
            }
        }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch door.received(unwrapInboundIn(data)) {
        case .send(let packets):
            for packet in packets { context.write(wrapOutboundOut(packet), promise: nil) }
            context.flush()
        case .loginToTarget(let request):
            connection.loginToTarget(request).assumeIsolated().whenComplete { result in
                self.targetLoginFinished(context: context, request: request, result)
            }
        case .refuse(let packet):
            RefusalClose.write(wrapOutboundOut(packet), on: context)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        refuse(context, .protocolError, "the broker could not read the client's packet: \(error)", sequenceID: 2)
    }

    private func targetLoginFinished(
        context: ChannelHandlerContext, request: MySQLClientRequest, _ result: Result<MySQLTargetSession, any Error>
    ) {
        switch result {
        case .success(let session):
            let summary = MySQLTargetSessionSummary(
                connectionID: session.connectionID, statusFlags: session.statusFlags)
            for packet in door.targetReady(summary, request: request) {
                context.write(wrapOutboundOut(packet), promise: nil)
            }
            context.flush()
            do {
                try connection.startRelay(
                    client: context.channel, frontDoor: context, session: session, nonce: door.nonce)
            } catch {
                refuse(
                    context, .brokerFailure, "the broker could not start the session relay: \(error)",
                    sequenceID: request.nextSequenceID)
            }
        case .failure(let error):
            refuse(
                context, .accessDenied, "the broker could not log in to the target: \(error)",
                sequenceID: request.nextSequenceID)
        }
    }

    private func refuse(
        _ context: ChannelHandlerContext, _ kind: MySQLBrokerError, _ message: String, sequenceID: UInt8
    ) {
        RefusalClose.write(wrapOutboundOut(MySQLFrontDoor.error(kind, message, sequenceID: sequenceID)), on: context)
    }
}
