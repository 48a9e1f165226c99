/// Bytes that are not a well-formed MySQL protocol packet or message, or a packet that arrived where the protocol
/// allows none of its kind.
///
/// The broker reads packets from a client it does not trust and from a server it must not misread, so every
/// decoding failure is a thrown value naming the field, never a trap. The associated strings are for logs; code
/// matches on the case.
package enum MySQLWireError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field needs more bytes than the packet has left; the string names the field.
    case truncated(String)
    /// A field holds a value outside its domain, or bytes are left where none may be; the string says which.
    case malformed(String)
    /// A logical packet (all its fragments together) is larger than the configured limit.
    case tooLarge(size: Int, limit: Int)
    /// A continuation fragment carries a sequence id that does not follow the previous fragment's.
    case outOfOrder(expected: UInt8, received: UInt8)
    /// A well-formed packet arrived in a phase of the exchange where it has no meaning.
    case unexpectedPacket(String)
    /// The connection closed with part of a packet buffered.
    case incompleteAtEOF(bufferedBytes: Int)

    package var description: String {
        switch self {
        case .truncated(let field):
            "truncated packet: \(field) runs past the end"
        case .malformed(let what):
            "malformed packet: \(what)"
        case .tooLarge(let size, let limit):
            "packet of \(size) bytes exceeds the limit of \(limit)"
        case .outOfOrder(let expected, let received):
            "packet sequence id \(received) where \(expected) was expected"
        case .unexpectedPacket(let what):
            "unexpected packet: \(what)"
        case .incompleteAtEOF(let bufferedBytes):
            "the connection closed with \(bufferedBytes) bytes of an incomplete packet buffered"
        }
    }
}
