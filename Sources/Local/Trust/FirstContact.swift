package import Foundation
import HoopCore

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A broker met for the first time, and the certificate hoopctl would pin for it.
package struct FirstContact: Sendable {
    package var endpoint: BrokerEndpoint
    /// What would be pinned, with its fingerprint.
    package var candidate: KnownBroker
    /// When the certificate expires, a second detail to compare with the broker's.
    package var validUntil: Date
    /// The file the pin would be written to.
    package var storeFile: String
}

/// Decides whether to pin the certificate of a broker met for the first time; returning true pins it.
package typealias FirstContactApproval = @Sendable (FirstContact) async -> Bool

extension FirstContact {
    /// On a terminal, shows the fingerprint and asks on stderr. Elsewhere (agents, CI) nobody can answer, so it pins
    /// and says so in one line, which also tells how to avoid trusting on first use.
    package static let terminalApproval: FirstContactApproval = { contact in
        guard isatty(STDIN_FILENO) == 1, isatty(STDERR_FILENO) == 1 else {
            Self.writeToStandardError(contact.unattendedNotice + "\n")
            return true
        }
        Self.writeToStandardError(contact.question)
        let answer = readLine()?.trimmingCharacters(in: .whitespaces).lowercased()
        return answer == "y" || answer == "yes"
    }

    /// The one-line notice printed when pinning without asking.
    package var unattendedNotice: String {
        "hoopctl: trusting the broker at \(self.endpoint.authority) on first use: pinned its certificate "
            + "(SHA256 \(self.candidate.sha256)) in \(self.storeFile); pass --ca or set HOOP_CA to verify the broker "
            + "against a CA file instead"
    }

    private var question: String {
        """
        The broker at \(self.endpoint.authority) is not known yet. It presented a certificate authority
          SHA256 \(self.candidate.sha256)
          valid until \(Timestamp.format(self.validUntil))
        Compare it with what `hoopctl broker fingerprint` prints on the broker host. If you trust it, hoopctl pins it
        in \(self.storeFile) and refuses any other certificate from this broker (pass --ca or set HOOP_CA to use
        a CA file instead).

        """ + "Trust this broker? [y/N] "
    }

    private static func writeToStandardError(_ text: String) {
        StandardStream.error.write(text)
    }
}
