extension BundleVerification {
    /// Every session granted after a broker start in the bundle names the policy digest that start loaded for its
    /// resource (`policy_sha256`), so which rules governed a session is part of the evidence, not the broker's word.
    /// The writer always shows broker starts; grants before the first one shown cannot be judged and are skipped.
    func checkPolicies() throws(BundleProblem) {
        var loaded: [String: String]?
        for event in policyEvents {
            if event.kind == .brokerStart {
                guard case .object(let members) = event.details["policies"] ?? .object([:]) else {
                    throw BundleProblem(
                        "\(BundleLayout.events) (seq \(event.seq))", "a broker start whose policies are not an object",
                        seq: event.seq)
                }
                loaded = members.compactMapValues(\.stringValue)
                continue
            }
            guard let loaded, let resource = event.resource,
                let granted = event.details["policy_sha256"]?.stringValue
            else { continue }
            guard loaded[resource] == granted else {
                throw BundleProblem(
                    "\(BundleLayout.events) (seq \(event.seq))",
                    "session \(event.session ?? "?") on \(resource) names policy \(granted), but the broker had loaded "
                        + "\(loaded[resource] ?? "no policy for it") (the grant or the config load was altered)",
                    seq: event.seq)
            }
        }
    }
}
