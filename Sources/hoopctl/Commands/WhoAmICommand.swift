import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl whoami`: the identity the broker maps the current token to.
struct WhoAmICommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "whoami",
        abstract: "Show who the broker thinks you are."
    )

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let console = Console(format: self.client.output)
        do throws(LocalError) {
            let broker = try await BrokerClient.connect(try self.client.configuration())
            let principal = try await broker.whoami()
            let expiry = await broker.tokens.tokenExpiry()
            if console.isJSON {
                console.json(WhoAmIReport(principal: principal, tokenExpiresAt: expiry))
                return
            }
            console.line("subject: \(principal.subject)")
            if let email = principal.email {
                console.line("email:   \(email)")
            }
            console.line("issuer:  \(principal.issuer)")
            console.line("groups:  \(principal.groups.isEmpty ? "(none)" : principal.groups.joined(separator: ", "))")
            if let expiry {
                let left = expiry.timeIntervalSinceNow
                let when = left > 0 ? "in \(DurationText.format(left))" : "expired; run `hoopctl login`"
                console.line("token:   expires \(Timestamp.format(expiry)) (\(when))")
            }
        } catch {
            throw console.failure(error)
        }
    }
}

/// `whoami --output json`: the principal as the broker reports it, plus when the token in use expires
/// (`token_expires_at`, null when the token does not say).
private struct WhoAmIReport: Encodable {
    var principal: Principal
    var tokenExpiresAt: Date?

    enum CodingKeys: String, CodingKey {
        case tokenExpiresAt = "token_expires_at"
    }

    func encode(to encoder: any Encoder) throws {
        try principal.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(tokenExpiresAt, forKey: .tokenExpiresAt)
    }
}
