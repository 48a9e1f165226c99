import NIOCore
import NIOPosix

/// Short, human wording for a failed connect, instead of NIO's nested error descriptions.
enum ConnectFailure {
    static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError, let first = error.connectionErrors.first {
            return describe(first.error)
        }
        if let error = error as? IOError {
            return String(cString: strerror(error.errnoCode)).lowercased()
        }
        return "\(error)"
    }
}
