import Crypto
import Foundation

/// The client side of SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL speaks it, so the broker can log in to a
/// target with credentials it holds and never forwards.
///
/// A value-type state machine: each step consumes the server's message and yields the next one to send, so the
/// exchange is testable against the RFC's vectors without a socket. No channel binding is offered (`n,,`), and the
/// user name inside the SCRAM messages is empty, as PostgreSQL takes it from the startup message instead. The
/// server's signature is verified at the end, so a target that does not know the password cannot pretend it does.
struct SCRAMSHA256Client {
    static let mechanism = "SCRAM-SHA-256"
    /// RFC 7677's minimum; a server asking for fewer iterations is refused as a downgrade.
    static let minimumIterations = 4_096
    /// Refuses iteration counts that would turn a hostile server into a CPU burner.
    static let maximumIterations = 10_000_000

    private enum State {
        case initial
        case sentFirst(clientFirstBare: String)
        case sentFinal(expectedServerSignature: [UInt8])
        case authenticated
    }

    private let password: String
    private let user: String
    private let clientNonce: String
    private var state = State.initial

    init(password: String, user: String = "", clientNonce: String? = nil) {
        self.password = password
        self.user = user
        self.clientNonce =
            clientNonce ?? SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// `client-first-message`, sent in SASLInitialResponse.
    mutating func firstMessage() -> [UInt8] {
        let bare = "n=\(user),r=\(clientNonce)"
        state = .sentFirst(clientFirstBare: bare)
        return Array("n,,\(bare)".utf8)
    }

    /// Answers `server-first-message` (AuthenticationSASLContinue) with `client-final-message`.
    mutating func finalMessage(serverFirst: [UInt8]) throws(SCRAMError) -> [UInt8] {
        guard case .sentFirst(let clientFirstBare) = state else { throw .outOfOrder("server-first-message") }
        let serverFirstText = String(decoding: serverFirst, as: UTF8.self)
        let attributes = Self.attributes(serverFirstText)
        guard let nonce = attributes["r"], nonce.hasPrefix(clientNonce), nonce.count > clientNonce.count else {
            throw .invalidServerMessage("the server nonce does not extend the client nonce")
        }
        guard let saltText = attributes["s"], let salt = Data(base64Encoded: saltText), !salt.isEmpty else {
            throw .invalidServerMessage("the salt is missing or not base64")
        }
        guard let iterationsText = attributes["i"], let iterations = Int(iterationsText) else {
            throw .invalidServerMessage("the iteration count is missing")
        }
        guard (Self.minimumIterations...Self.maximumIterations).contains(iterations) else {
            throw .invalidServerMessage("iteration count \(iterations) is outside \(Self.minimumIterations)...")
        }
        let saltedPassword: SymmetricKey
        do {
            saltedPassword = try SCRAMKeyCache.shared.saltedPassword(
                password, salt: Array(salt), iterations: iterations)
        } catch {
            throw .invalidServerMessage("key derivation failed: \(error)")
        }
        let clientKey = Array(HMAC<SHA256>.authenticationCode(for: Array("Client Key".utf8), using: saltedPassword))
        let storedKey = SHA256.hash(data: clientKey)
        let finalWithoutProof = "c=biws,r=\(nonce)"
        let authMessage = Array("\(clientFirstBare),\(serverFirstText),\(finalWithoutProof)".utf8)
        let clientSignature = Array(
            HMAC<SHA256>.authenticationCode(for: authMessage, using: SymmetricKey(data: Array(storedKey)))
        )
        let proof = zip(clientKey, clientSignature).map { $0 ^ $1 }
        let serverKey = HMAC<SHA256>.authenticationCode(for: Array("Server Key".utf8), using: saltedPassword)
        let serverSignature = HMAC<SHA256>.authenticationCode(for: authMessage, using: SymmetricKey(data: serverKey))
        state = .sentFinal(expectedServerSignature: Array(serverSignature))
        return Array("\(finalWithoutProof),p=\(Data(proof).base64EncodedString())".utf8)
    }

    /// Checks `server-final-message` (AuthenticationSASLFinal): the server must prove it knows the password too.
    mutating func verify(serverFinal: [UInt8]) throws(SCRAMError) {
        guard case .sentFinal(let expected) = state else { throw .outOfOrder("server-final-message") }
        let attributes = Self.attributes(String(decoding: serverFinal, as: UTF8.self))
        if let error = attributes["e"] { throw .rejectedByServer(error) }
        guard let signatureText = attributes["v"], let signature = Data(base64Encoded: signatureText) else {
            throw .invalidServerMessage("the server signature is missing")
        }
        guard Array(signature) == expected else { throw .serverSignatureMismatch }
        state = .authenticated
    }

    var isAuthenticated: Bool {
        if case .authenticated = state { return true }
        return false
    }

    /// `a=x,b=y` attributes; values may themselves contain `=` (base64), so only the first one splits.
    private static func attributes(_ message: String) -> [String: String] {
        var result: [String: String] = [:]
        for part in message.split(separator: ",") {
            guard let equals = part.firstIndex(of: "=") else { continue }
            result[String(part[..<equals])] = String(part[part.index(after: equals)...])
        }
        return result
    }
}

/// A SCRAM exchange that cannot complete.
enum SCRAMError: Error, Equatable, CustomStringConvertible {
    case outOfOrder(String)
    case invalidServerMessage(String)
    case rejectedByServer(String)
    case serverSignatureMismatch

    var description: String {
        switch self {
        case .outOfOrder(let message): "SCRAM: unexpected \(message)"
        case .invalidServerMessage(let reason): "SCRAM: invalid server message: \(reason)"
        case .rejectedByServer(let reason): "SCRAM: the server rejected the proof: \(reason)"
        case .serverSignatureMismatch: "SCRAM: the server's signature is wrong; it does not know the password"
        }
    }
}
