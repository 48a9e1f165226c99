import Foundation

/// The name of a deployment's audit log, the first line of every checkpoint. Operators set it
/// (`evidence.log_origin`); otherwise the store is given a random one on first start and keeps it, so two
/// deployments never sign checkpoints under the same name.
package enum LogOrigin {
    package static func generated() -> String {
        "hoopctl.local/" + UUID().uuidString.lowercased()
    }
}
