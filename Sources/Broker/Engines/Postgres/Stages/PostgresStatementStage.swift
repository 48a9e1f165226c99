import Foundation
import HoopCore
import Logging
import NIOCore
import PostgresWire

/// Client → target: every statement the client sends — simple queries, Parse and Bind of the extended protocol,
/// function calls, COPY data — is recorded before it is forwarded. This is the stage policy and approvals plug into:
/// its verdict can already answer the client instead of forwarding.
final class PostgresStatementStage: RelayStage, @unchecked Sendable {
    typealias Inbound = PostgresFrontendMessage
    typealias Outbound = PostgresBackendMessage

    private let recorder: SessionRecorder
    private let connection: Int64
    private let logger: Logger
    private let clock: PostgresStatementClock

    init(recorder: SessionRecorder, connection: Int64, clock: PostgresStatementClock, logger: Logger) {
        self.recorder = recorder
        self.connection = connection
        self.clock = clock
        self.logger = logger
    }

    func process(_ message: PostgresFrontendMessage) throws -> RelayVerdict<
        PostgresFrontendMessage, PostgresBackendMessage
    > {
        switch message {
        case .query, .execute, .sync, .functionCall:
            clock.requestSent()
        default:
            break
        }
        switch message {
        case .query(let sql):
            try record(["protocol": "simple", "sql": .string(sql)])
        case .parse(let parse):
            try record([
                "protocol": "extended", "step": "parse", "statement": .string(parse.name), "sql": .string(parse.query),
            ])
        case .bind(let bind):
            let parameters: [JSONValue] = bind.parameters.enumerated().map { index, value in
                Self.cell(value, format: bind.parameterFormat(at: index))
            }
            try record([
                "protocol": "extended", "step": "bind", "statement": .string(bind.statement),
                "portal": .string(bind.portal), "parameters": .array(parameters),
            ])
        case .functionCall(let call):
            try record(["protocol": "function_call", "call": .string("\(call)")])
        case .copyData(let data):
            try recorder.record(kind: .data, conn: connection, dir: .up, data: Array(data.readableBytesView))
        default:
            break
        }
        return .forward([message])
    }

    func failed(_ error: any Error) {
        logger.error("client connection failed", metadata: ["error": "\(error)"])
    }

    /// A client that sends what the broker cannot decode gets a protocol-violation error before the close.
    func farewell(after error: any Error) -> RelayVerdict<PostgresFrontendMessage, PostgresBackendMessage> {
        .answer([.fatal(sqlState: "08P01", message: "the broker could not read the client's message: \(error)")])
    }

    private func record(_ details: JSONValue) throws {
        try recorder.record(kind: .query, conn: connection, dir: .up, details: details)
    }

    /// A value as text when it is text and valid UTF-8, otherwise tagged base64; NULL stays null.
    static func cell(_ value: ByteBuffer?, format: PostgresFormat) -> JSONValue {
        guard let value else { return .null }
        // String(bytes:encoding:) refuses invalid UTF-8 rather than repairing it, so odd bytes are kept exactly.
        if format == .text, let text = String(bytes: value.readableBytesView, encoding: .utf8) {
            return .string(text)
        }
        return ["base64": .string(Data(value.readableBytesView).base64EncodedString())]
    }
}
