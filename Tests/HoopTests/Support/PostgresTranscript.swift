import NIOCore

@testable import PostgresWire

/// What a client saw from a PostgreSQL server, one line per message, keeping what a client acts on — the message
/// type, command tags, SQLSTATEs, ReadyForQuery's transaction status, COPY formats and row values — and leaving
/// out what legitimately differs between two servers or two logins (error wording, positions, the server's source
/// locations, ParameterStatus reports). Two transcripts are equal when a client could not tell the servers apart.
enum PostgresTranscript {
    static func lines(_ messages: [PostgresBackendMessage]) -> [String] {
        messages.compactMap(line)
    }

    static func line(_ message: PostgresBackendMessage) -> String? {
        switch message {
        case .parameterStatus, .authentication, .backendKeyData, .negotiateProtocolVersion:
            return nil
        case .readyForQuery(let status):
            return "ReadyForQuery \(Character(Unicode.Scalar(status.rawValue)))"
        case .rowDescription(let fields):
            return "RowDescription \(fields.map(\.name).joined(separator: ","))"
        case .dataRow(let cells):
            let values = cells.map { cell in
                cell.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? "NULL"
            }
            return "DataRow \(values.joined(separator: "|"))"
        case .commandComplete(let tag):
            return "CommandComplete \(tag)"
        case .emptyQueryResponse:
            return "EmptyQueryResponse"
        case .errorResponse(let diagnostic):
            return "ErrorResponse \(diagnostic.sqlState?.rawValue ?? "?")"
        case .noticeResponse(let diagnostic):
            return "NoticeResponse \(diagnostic.sqlState?.rawValue ?? "?")"
        case .notificationResponse(_, let channel, let payload):
            return "NotificationResponse \(channel) \(payload)"
        case .parseComplete:
            return "ParseComplete"
        case .bindComplete:
            return "BindComplete"
        case .closeComplete:
            return "CloseComplete"
        case .noData:
            return "NoData"
        case .portalSuspended:
            return "PortalSuspended"
        case .parameterDescription(let types):
            return "ParameterDescription \(types.map(String.init).joined(separator: ","))"
        case .copyInResponse(let response):
            return "CopyInResponse \(response.format) \(response.columnFormats.count)"
        case .copyOutResponse(let response):
            return "CopyOutResponse \(response.format) \(response.columnFormats.count)"
        case .copyBothResponse(let response):
            return "CopyBothResponse \(response.format) \(response.columnFormats.count)"
        case .copyData(let data):
            return "CopyData \(String(decoding: data.readableBytesView, as: UTF8.self))"
        case .copyDone:
            return "CopyDone"
        case .functionCallResponse(let result):
            return "FunctionCallResponse \(result.map { String($0.readableBytes) } ?? "NULL")"
        }
    }
}
