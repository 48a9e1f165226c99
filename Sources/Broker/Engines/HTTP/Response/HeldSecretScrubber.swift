/// Removes the held credential from whatever a target sends back. Targets reflect what they were sent more often
/// than one would hope (echo and debug endpoints, error pages quoting the request, `WWW-Authenticate` hints), and a
/// reflected token would hand the client the very credential the broker exists to hold. Every occurrence becomes
/// `[HELD_CREDENTIAL]`, in headers and bodies, masked resource or not; a stream keeps back only as many bytes as a
/// secret could still be starting in.
struct HeldSecretScrubber {
    static let replacement = Array("[HELD_CREDENTIAL]".utf8)

    private let secrets: [[UInt8]]
    private let keep: Int
    private var pending: [UInt8] = []
    /// How many occurrences were removed.
    private(set) var removed = 0

    /// `secrets` shorter than 8 bytes are ignored: too short to tell from ordinary text.
    init(secrets: [String]) {
        self.secrets = Set(secrets.filter { $0.utf8.count >= 8 }).map { Array($0.utf8) }.sorted { $0.count > $1.count }
        keep = max(0, (self.secrets.first?.count ?? 0) - 1)
    }

    var isActive: Bool { !secrets.isEmpty }

    mutating func feed(_ bytes: [UInt8]) -> [UInt8] {
        guard isActive else { return bytes }
        pending += bytes
        let scrubbed = scrub(pending)
        // The tail may hold the beginning of a secret whose rest has not arrived: keep it back.
        let release = max(0, scrubbed.count - keep)
        pending = Array(scrubbed[release...])
        return Array(scrubbed[..<release])
    }

    mutating func finish() -> [UInt8] {
        defer { pending = [] }
        return pending
    }

    mutating func scrub(_ text: String) -> String {
        guard isActive else { return text }
        return String(decoding: scrub(Array(text.utf8)), as: UTF8.self)
    }

    private mutating func scrub(_ bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        for secret in secrets {
            var index = 0
            var result: [UInt8] = []
            var found = false
            while index < out.count {
                if out[index] == secret[0], index + secret.count <= out.count,
                    out[index..<(index + secret.count)].elementsEqual(secret)
                {
                    result += Self.replacement
                    index += secret.count
                    removed += 1
                    found = true
                } else {
                    result.append(out[index])
                    index += 1
                }
            }
            if found { out = result }
        }
        return out
    }
}
