import MySQLWire

/// The errors the broker itself says to a MySQL client, each with the server error number and SQLSTATE a MySQL
/// client and driver already know how to treat. The broker's policy answers share their SQLSTATEs with the
/// PostgreSQL engine's (42501 refused, HP001/HP002 approvals), so scripts read one vocabulary across engines.
enum MySQLBrokerError {
    /// The session password was wrong, or the target refused the broker's login.
    case accessDenied
    /// The client sent what the protocol does not allow here.
    case protocolError
    /// The broker cannot reach or log in to the target.
    case targetUnavailable
    /// A guardrail blocked the statement, or its approval was denied, expired or did not fit.
    case refused
    /// The statement needs an approval the client will not wait for.
    case approvalPending
    /// The broker cannot record or audit, so it stops (fail closed).
    case brokerFailure
    /// Something the broker does not relay (a command or feature it cannot police).
    case unsupported
    /// `LOAD DATA LOCAL INFILE` on a resource that does not allow it.
    case localInfileRefused

    /// The server error number (ER_*).
    var code: UInt16 {
        switch self {
        case .accessDenied: 1045
        case .protocolError: 1835
        case .targetUnavailable: 2003
        case .refused, .approvalPending: 1227
        case .brokerFailure: 1105
        case .unsupported: 1235
        case .localInfileRefused: 1148
        }
    }

    var sqlState: String {
        switch self {
        case .accessDenied: "28000"
        case .protocolError: "08S01"
        case .targetUnavailable: "08001"
        case .refused: "42501"
        case .approvalPending: "HP002"
        case .brokerFailure: "58000"
        case .unsupported, .localInfileRefused: "42000"
        }
    }

    func packet(_ message: String) -> MySQLErrPacket {
        MySQLErrPacket(code: code, sqlState: sqlState, message: message)
    }
}
