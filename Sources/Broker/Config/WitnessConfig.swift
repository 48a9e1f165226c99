package import Foundation
package import HoopCore

/// Who checks the audit log's growth besides the broker (docs/evidence.md §3), and what the broker does when they
/// cannot.
package struct WitnessConfig: Sendable {
    package var witnesses: [WitnessTarget]
    /// How many HTTP witnesses must cosign a checkpoint for it to count as witnessed.
    package var quorum: Int
    /// How long the newest checkpoint may stay below the quorum before the broker raises an alert.
    package var grace: TimeInterval
    /// Past the grace period, refuse new sessions and tunnels until the witnesses cosign again.
    package var failClosed: Bool

    package static let none = WitnessConfig(witnesses: [], quorum: 0, grace: 600, failClosed: false)

    /// The HTTP witnesses, whose cosignatures count toward the quorum.
    package var cosigners: [(url: URL, key: NoteVerifierKey)] {
        witnesses.compactMap { if case .http(let url, let key) = $0 { (url, key) } else { nil } }
    }
}

/// One place a checkpoint goes.
package enum WitnessTarget: Sendable {
    /// A C2SP tlog-witness at `url` (its submission prefix), whose cosigning key is `key`.
    case http(url: URL, key: NoteVerifierKey)
    /// A file the broker appends every checkpoint note to, for the operator to ship elsewhere.
    case file(URL)
}

extension ConfigNode {
    /// `audit.witnesses` and the settings around it.
    mutating func witnessConfig(base: URL) throws(ConfigError) -> WitnessConfig {
        var config = WitnessConfig.none
        for var item in try mappings("witnesses") ?? [] {
            if let path = try item.string("file") {
                config.witnesses.append(.file(URL(fileURLWithPath: path, relativeTo: base).standardizedFileURL))
            } else {
                let text = try item.requiredString("url")
                guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme)
                else {
                    throw ConfigError(path: "audit.witnesses", message: "\(text) is not an http(s) URL")
                }
                let keyText = try item.requiredString("key")
                let key: NoteVerifierKey
                do {
                    key = try NoteVerifierKey(text: keyText)
                } catch {
                    throw ConfigError(path: "audit.witnesses", message: "key of \(text): \(error.reason)")
                }
                guard key.kind == .cosignature else {
                    throw ConfigError(
                        path: "audit.witnesses", message: "key of \(text) is not a witness cosignature key (type 04)")
                }
                config.witnesses.append(.http(url: url, key: key))
            }
            try item.rejectUnknownKeys()
        }
        let cosigners = config.cosigners.count
        config.quorum = try count("witness_quorum") ?? min(cosigners, 1)
        guard config.quorum <= cosigners else {
            throw ConfigError(
                path: "audit.witness_quorum", message: "asks for \(config.quorum) of \(cosigners) HTTP witnesses")
        }
        config.grace = try duration("witness_grace") ?? config.grace
        config.failClosed = try flag("witness_fail_closed") ?? false
        if config.failClosed && config.quorum == 0 {
            throw ConfigError(path: "audit.witness_fail_closed", message: "needs at least one HTTP witness")
        }
        return config
    }
}
