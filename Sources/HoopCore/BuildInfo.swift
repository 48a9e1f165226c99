/// Facts about this build that evidence records, so an auditor can tell which code made a decision.
package enum BuildInfo {
    /// The release of hoopctl (client and broker alike); part of every resource's policy digest, because the
    /// guardrail readers and masking detectors that enforce a policy change with it.
    package static let version = "0.1.0"
}
