import Crypto
import Foundation
import NIOSSH

/// The parts of OpenSSH's known_hosts format a broker needs: host patterns (with `*`, `?` and `!` negation),
/// `[host]:port` for ports other than 22, hashed entries (`|1|salt|hmac`), and `@revoked` lines.
/// `@cert-authority` lines are skipped: the broker does not accept host certificates.
struct SSHKnownHosts {
    struct Matches {
        var trusted: [NIOSSHPublicKey] = []
        var revoked: [NIOSSHPublicKey] = []
    }

    private let lines: [Substring]

    init(text: String) {
        lines = text.split(whereSeparator: \.isNewline)
    }

    /// How OpenSSH names a host in known_hosts.
    static func hostName(for address: HostPort) -> String {
        address.port == 22 ? address.host : "[\(address.host)]:\(address.port)"
    }

    func keys(for address: HostPort) -> Matches {
        let name = Self.hostName(for: address)
        var matches = Matches()
        for line in lines {
            var fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard let first = fields.first, !first.hasPrefix("#") else { continue }
            var revoked = false
            if first.hasPrefix("@") {
                guard first == "@revoked" else { continue }
                revoked = true
                fields.removeFirst()
            }
            guard fields.count >= 3, Self.patterns(fields[0], match: name),
                let key = try? NIOSSHPublicKey(openSSHPublicKey: "\(fields[1]) \(fields[2])")
            else { continue }
            if revoked { matches.revoked.append(key) } else { matches.trusted.append(key) }
        }
        return matches
    }

    /// A comma-separated pattern list matches when some pattern matches and no negated one does.
    static func patterns(_ list: Substring, match name: String) -> Bool {
        if list.hasPrefix("|1|") { return hashed(list, match: name) }
        var matched = false
        for pattern in list.split(separator: ",") {
            if pattern.hasPrefix("!") {
                if wildcard(Array(pattern.dropFirst().lowercased()), Array(name.lowercased())) { return false }
            } else if wildcard(Array(pattern.lowercased()), Array(name.lowercased())) {
                matched = true
            }
        }
        return matched
    }

    private static func hashed(_ entry: Substring, match name: String) -> Bool {
        let parts = entry.split(separator: "|")
        guard parts.count == 3, let salt = Data(base64Encoded: String(parts[1])),
            let expected = Data(base64Encoded: String(parts[2]))
        else { return false }
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(name.utf8), using: SymmetricKey(data: salt))
        return Data(mac) == expected
    }

    private static func wildcard(_ pattern: [Character], _ text: [Character]) -> Bool {
        guard let head = pattern.first else { return text.isEmpty }
        switch head {
        case "*":
            return (0...text.count).contains { wildcard(Array(pattern.dropFirst()), Array(text.dropFirst($0))) }
        case "?":
            return !text.isEmpty && wildcard(Array(pattern.dropFirst()), Array(text.dropFirst()))
        default:
            return text.first == head && wildcard(Array(pattern.dropFirst()), Array(text.dropFirst()))
        }
    }
}
