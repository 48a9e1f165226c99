import Foundation
import NIOSSL

/// Trust on first use: the first connection to a broker pins the root certificate it presents (after the user
/// agrees, when one is there to ask); every later connection trusts only that certificate.
package struct TrustOnFirstUse: Sendable {
    package let store: KnownBrokers
    private let approval: FirstContactApproval

    package init(store: KnownBrokers, approval: @escaping FirstContactApproval) {
        self.store = store
        self.approval = approval
    }

    /// The pinned anchor for `endpoint`, pinning one first if the broker was never seen.
    package func anchor(for endpoint: BrokerEndpoint) async throws(LocalError) -> TrustAnchor {
        if let known = try self.store.pin(for: endpoint) {
            return try .pinned(known)
        }
        let chain = try await CertificateChainProbe.presentedChain(by: endpoint)
        // The broker serves [leaf, its own CA]: pinning the CA rather than the leaf survives leaf renewal.
        guard let root = chain.last else {
            throw LocalError(
                .brokerUntrusted,
                "the broker at \(endpoint.authority) presented no certificate",
                hint: "check that \(endpoint.url) is the broker's HTTPS port"
            )
        }
        let candidate: KnownBroker
        do {
            candidate = KnownBroker(certificateDER: try root.toDERBytes(), pinnedAt: Date())
        } catch {
            throw LocalError(
                .brokerUntrusted,
                "the certificate presented by the broker at \(endpoint.authority) cannot be read: \(error)",
                hint: "pass the broker's CA certificate with --ca or HOOP_CA"
            )
        }
        let contact = FirstContact(
            endpoint: endpoint,
            candidate: candidate,
            validUntil: Date(timeIntervalSince1970: TimeInterval(root.notValidAfter)),
            storeFile: self.store.file
        )
        guard await self.approval(contact) else {
            throw LocalError(
                .trustDeclined,
                "the broker at \(endpoint.authority) was not trusted",
                hint: "pass its CA certificate with --ca or HOOP_CA, or answer y to trust it on first use"
            )
        }
        try self.store.remember(candidate, for: endpoint)
        return try .pinned(candidate)
    }
}
