extension PostgresFrontendMessage {
    /// The type bytes of the typed frontend messages, named as the protocol documentation names them.
    package enum MessageType: UInt8, Sendable, CaseIterable, PostgresMessageTypeByte {
        case bind = 0x42  // 'B'
        case close = 0x43  // 'C'
        case copyData = 0x64  // 'd'
        case copyDone = 0x63  // 'c'
        case copyFail = 0x66  // 'f'
        case describe = 0x44  // 'D'
        case execute = 0x45  // 'E'
        case flush = 0x48  // 'H'
        case functionCall = 0x46  // 'F'
        case parse = 0x50  // 'P'
        case passwordFamily = 0x70  // 'p'
        case query = 0x51  // 'Q'
        case sync = 0x53  // 'S'
        case terminate = 0x58  // 'X'

        package var name: String {
            switch self {
            case .bind: "Bind"
            case .close: "Close"
            case .copyData: "CopyData"
            case .copyDone: "CopyDone"
            case .copyFail: "CopyFail"
            case .describe: "Describe"
            case .execute: "Execute"
            case .flush: "Flush"
            case .functionCall: "FunctionCall"
            case .parse: "Parse"
            case .passwordFamily: "PasswordMessage"
            case .query: "Query"
            case .sync: "Sync"
            case .terminate: "Terminate"
            }
        }
    }
}
