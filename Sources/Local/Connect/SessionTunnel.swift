import Foundation
package import HoopCore

/// `hoopctl connect`: a just-in-time session and the local port forwarder carrying its tunnels, kept open in the
/// foreground until the user stops it or the session ends. In direct mode there is no forwarder: clients connect to
/// the broker's own port for the resource's protocol, and this only holds the session.
package struct SessionTunnel: Sendable {
    /// Why the tunnel stopped.
    package enum End: Sendable, Equatable {
        /// SIGINT (Ctrl-C) or SIGTERM.
        case interrupted
        /// The grant's lifetime ran out.
        case expired
        /// The broker revoked the session.
        case revoked
        /// The broker reports the session closed for another reason.
        case closed

        /// Ending by expiry or by the user's hand is a normal end; a revocation is a denial scripts must see.
        package var exitStatus: ExitStatus {
            self == .revoked ? .denied : .ok
        }
    }

    /// How often the session's status is checked, to notice revocation promptly.
    package static let defaultPollInterval: Duration = .seconds(5)

    package let session: SessionInfo
    package let details: ConnectionDetails
    /// Speaks for the resource's kind: its connection details, example and session files.
    package let adapter: any ResourceClient
    private let client: BrokerClient
    /// nil in direct mode.
    private let forwarder: PortForwarder?

    /// Creates the session and starts listening on `port` (0 for any free port). `onEvent` reports each local
    /// connection's fate, including the broker's refusals.
    package static func open(
        client: BrokerClient,
        request: SessionRequest,
        port: Int,
        approvals: ApprovalWait,
        onEvent: @escaping @Sendable (PortForwarder.Event) -> Void
    ) async throws(LocalError) -> SessionTunnel {
        // A kind this hoopctl cannot speak, or a port it cannot listen on, is refused before a session is granted
        // (or an approver asked) for nothing.
        try LocalPortProbe.check(port)
        _ = try await ResourceClients.adapter(forResource: request.resource, on: client)
        let granted = try await approvals.openSession(client, request)
        let configuration = PortForwarder.Configuration(
            endpoint: client.endpoint,
            trust: client.trust,
            grant: granted.grant,
            port: port
        )
        do throws(LocalError) {
            let adapter = try ResourceClients.adapter(for: granted.session.resourceType)
            let forwarder = try await PortForwarder.start(configuration, onEvent: onEvent)
            var details = ConnectionDetails(
                session: granted.session.id,
                resource: granted.session.resource,
                host: PortForwarder.host,
                port: forwarder.port,
                expiresAt: granted.session.expiresAt,
                credentials: granted.credentials
            )
            do throws(LocalError) {
                try adapter.complete(&details, granted: granted)
            } catch {
                await forwarder.stop()
                throw error
            }
            return SessionTunnel(
                session: granted.session, details: details, adapter: adapter, client: client, forwarder: forwarder)
        } catch {
            // Nobody can use the session without the listener: give it back rather than leave it open.
            _ = try? await client.revokeSession(granted.session.id)
            throw error
        }
    }

    /// Opens a session for direct mode: the details name the broker's own port for the resource's protocol and
    /// a client configuration verifying the broker's certificate; nothing listens locally.
    package static func openDirect(client: BrokerClient, request: SessionRequest, approvals: ApprovalWait)
        async throws(LocalError) -> SessionTunnel
    {
        _ = try await ResourceClients.adapter(forResource: request.resource, on: client)
        let granted = try await approvals.openSession(client, request)
        do throws(LocalError) {
            let adapter = try ResourceClients.adapter(for: granted.session.resourceType)
            guard let port = granted.credentials?.directPort else {
                throw LocalError(
                    .invalidInput, "\(granted.session.resource) does not accept direct connections",
                    hint: "connect without --direct, or ask the broker's operator to set allow_direct on it")
            }
            var details = ConnectionDetails(
                session: granted.session.id,
                resource: granted.session.resource,
                host: client.endpoint.host,
                port: port,
                expiresAt: granted.session.expiresAt,
                credentials: granted.credentials
            )
            try adapter.completeDirect(&details, granted: granted, trust: client.trust)
            return SessionTunnel(
                session: granted.session, details: details, adapter: adapter, client: client, forwarder: nil)
        } catch {
            // The session is of no use without its direct login: give it back rather than leave it open.
            _ = try? await client.revokeSession(granted.session.id)
            throw error
        }
    }

    /// Ends the session at the broker (Ctrl-C without --keep): nothing left open that nobody uses. A failure is
    /// returned, not thrown: the tunnels are closed already and the session still ends at its expiry.
    package func revoke() async -> LocalError? {
        do throws(LocalError) {
            _ = try await self.client.revokeSession(self.session.id)
            return nil
        } catch {
            return error
        }
    }

    /// Local connections open now (none in direct mode, where clients connect to the broker).
    package func openConnections() async -> Int {
        await self.forwarder?.openConnections() ?? 0
    }

    /// Serves tunnels until Ctrl-C / SIGTERM, the grant's expiry, or the broker ending the session, then closes
    /// every tunnel and says why it stopped.
    package func serve(pollInterval: Duration = Self.defaultPollInterval) async -> End {
        let end = await withTaskGroup(of: End?.self) { group in
            group.addTask {
                for await _ in TerminationSignal.signals() {
                    return .interrupted
                }
                return nil
            }
            group.addTask {
                let remaining = self.session.expiresAt.timeIntervalSinceNow
                do {
                    try await Task.sleep(for: .seconds(max(remaining, 0)))
                    return .expired
                } catch {
                    return nil
                }
            }
            group.addTask {
                await self.watchStatus(every: pollInterval)
            }
            var end = End.interrupted
            for await candidate in group {
                if let candidate {
                    end = candidate
                    break
                }
            }
            group.cancelAll()
            return end
        }
        await self.forwarder?.stop()
        self.adapter.cleanUp(session: self.session.id)
        return end
    }

    /// Polls the session until the broker reports it over. Failed polls are skipped: a broker briefly unreachable
    /// does not end a session, and the tunnels report their own failures.
    private func watchStatus(every interval: Duration) async -> End? {
        while true {
            do {
                try await Task.sleep(for: interval)
            } catch {
                return nil
            }
            do {
                switch try await self.client.session(self.session.id).status {
                case .active:
                    continue
                case .expired:
                    return .expired
                case .revoked:
                    return .revoked
                case .closed:
                    return .closed
                }
            } catch let error where error.kind == .notFound {
                return .closed
            } catch {
                continue
            }
        }
    }
}
