extension PostgresBackendMessage {
    /// The type bytes of backend messages, named as the protocol documentation names them.
    package enum MessageType: UInt8, Sendable, CaseIterable, PostgresMessageTypeByte {
        case authentication = 0x52  // 'R'
        case backendKeyData = 0x4B  // 'K'
        case bindComplete = 0x32  // '2'
        case closeComplete = 0x33  // '3'
        case commandComplete = 0x43  // 'C'
        case copyBothResponse = 0x57  // 'W'
        case copyData = 0x64  // 'd'
        case copyDone = 0x63  // 'c'
        case copyInResponse = 0x47  // 'G'
        case copyOutResponse = 0x48  // 'H'
        case dataRow = 0x44  // 'D'
        case emptyQueryResponse = 0x49  // 'I'
        case errorResponse = 0x45  // 'E'
        case functionCallResponse = 0x56  // 'V'
        case negotiateProtocolVersion = 0x76  // 'v'
        case noData = 0x6E  // 'n'
        case noticeResponse = 0x4E  // 'N'
        case notificationResponse = 0x41  // 'A'
        case parameterDescription = 0x74  // 't'
        case parameterStatus = 0x53  // 'S'
        case parseComplete = 0x31  // '1'
        case portalSuspended = 0x73  // 's'
        case readyForQuery = 0x5A  // 'Z'
        case rowDescription = 0x54  // 'T'

        package var name: String {
            switch self {
            case .authentication: "Authentication"
            case .backendKeyData: "BackendKeyData"
            case .bindComplete: "BindComplete"
            case .closeComplete: "CloseComplete"
            case .commandComplete: "CommandComplete"
            case .copyBothResponse: "CopyBothResponse"
            case .copyData: "CopyData"
            case .copyDone: "CopyDone"
            case .copyInResponse: "CopyInResponse"
            case .copyOutResponse: "CopyOutResponse"
            case .dataRow: "DataRow"
            case .emptyQueryResponse: "EmptyQueryResponse"
            case .errorResponse: "ErrorResponse"
            case .functionCallResponse: "FunctionCallResponse"
            case .negotiateProtocolVersion: "NegotiateProtocolVersion"
            case .noData: "NoData"
            case .noticeResponse: "NoticeResponse"
            case .notificationResponse: "NotificationResponse"
            case .parameterDescription: "ParameterDescription"
            case .parameterStatus: "ParameterStatus"
            case .parseComplete: "ParseComplete"
            case .portalSuspended: "PortalSuspended"
            case .readyForQuery: "ReadyForQuery"
            case .rowDescription: "RowDescription"
            }
        }
    }
}
