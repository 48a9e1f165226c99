package import NIOCore

/// A message a PostgreSQL server sends to its client, protocol version 3.
///
/// The broker reads these from the target and writes them, after policy and masking, to the client. Values stay as
/// the server sent them (`ByteBuffer` slices for cells and COPY data, NULL as nil), so an unmasked row is forwarded
/// byte for byte.
package enum PostgresBackendMessage: Sendable, Equatable {
    case authentication(Authentication)
    case parameterStatus(name: String, value: String)
    /// The key is 4 bytes in protocol 3.0 and 4 to 256 bytes from 3.2.
    case backendKeyData(processID: Int32, secretKey: ByteBuffer)
    case readyForQuery(TransactionStatus)
    /// Answers a protocol minor version or `_pq_.` option the server does not support, instead of refusing.
    case negotiateProtocolVersion(newestMinorVersion: Int32, unrecognizedOptions: [String])

    case rowDescription([FieldDescription])
    /// One value per column; nil is SQL NULL, distinct from an empty value.
    case dataRow([ByteBuffer?])
    case commandComplete(tag: String)
    case emptyQueryResponse
    case errorResponse(Diagnostic)
    case noticeResponse(Diagnostic)
    case notificationResponse(processID: Int32, channel: String, payload: String)

    case parseComplete
    case bindComplete
    case closeComplete
    case noData
    case portalSuspended
    case parameterDescription(typeOIDs: [UInt32])

    case copyInResponse(CopyResponse)
    case copyOutResponse(CopyResponse)
    case copyBothResponse(CopyResponse)
    case copyData(ByteBuffer)
    case copyDone

    /// The fast-path call's result; nil is SQL NULL.
    case functionCallResponse(ByteBuffer?)

    /// The state ReadyForQuery reports.
    package enum TransactionStatus: UInt8, Sendable, Hashable {
        /// 'I': not in a transaction block.
        case idle = 0x49
        /// 'T': in a transaction block.
        case inTransaction = 0x54
        /// 'E': in a failed transaction block; statements are refused until it ends.
        case failed = 0x45
    }
}
