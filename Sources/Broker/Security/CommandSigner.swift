import Foundation
import HoopCore

/// Signs evidence by asking an external program — the front end of an HSM, a KMS or a signing service — so the
/// audit key never sits where the broker (or whoever holds its data dir) can read it. The program gets the exact
/// bytes to sign on stdin and answers the base64 Ed25519 signature on stdout; every answer is checked against the
/// configured public key before it is used, so a misbehaving signer can only stop evidence, never forge it.
struct CommandSigner: EvidenceSigner {
    let arguments: [String]
    let auditPublicKey: AuditPublicKey
    /// A signer that does not answer in this time is treated as failed (and killed).
    var timeout: TimeInterval = 10

    func signature(over message: [UInt8]) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: arguments[0])
        process.arguments = Array(arguments.dropFirst())
        let (input, output, errors) = process.attachStandardPipes()
        do {
            try process.run()
        } catch {
            throw SignerError("audit signing command \(arguments[0]) cannot be started: \(error)")
        }
        let watchdog = DispatchWorkItem { [process] in
            if process.isRunning { process.terminate() }
        }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeout, execute: watchdog)
        defer { watchdog.cancel() }
        // The statements are small (well under a pipe's buffer), so writing all before reading cannot deadlock.
        input.fileHandleForWriting.write(Data(message))
        try? input.fileHandleForWriting.close()
        let answer = output.fileHandleForReading.readDataToEndOfFile()
        let complaint = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationReason == .exit, process.terminationStatus == 0 else {
            let said = String(decoding: complaint.prefix(300), as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            throw SignerError(
                "audit signing command \(arguments[0]) failed (status \(process.terminationStatus))"
                    + (said.isEmpty ? "" : ": \(said)"))
        }
        let text = String(decoding: answer, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let signature = Data(base64Encoded: text), signature.count == 64 else {
            throw SignerError("audit signing command \(arguments[0]) did not answer a base64 Ed25519 signature")
        }
        guard auditPublicKey.isValidSignature(text, for: message) else {
            throw SignerError(
                "audit signing command \(arguments[0]) answered a signature that does not verify under "
                    + "audit.public_key \(auditPublicKey)")
        }
        return Array(signature)
    }
}

/// The audit signer cannot sign; evidence that needs a signature is not produced.
struct SignerError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
