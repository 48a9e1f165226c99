import ArgumentParser
import Foundation
import HoopCore
import Local

/// `hoopctl connect <resource>`: open a session and forward a local port to the resource until Ctrl-C or the
/// session ends.
struct ConnectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "connect",
        abstract: "Open a session to a resource and forward a local port to it.",
        discussion: """
            Listens on 127.0.0.1 and carries every connection to the resource through the broker. Stays in the \
            foreground until Ctrl-C (which ends the session, unless --keep), the session's expiry, or its \
            revocation. A --port that cannot be listened on is reported before any session or approval is asked \
            for; a --duration longer than the resource allows is capped, and hoopctl says so. On a resource whose sessions need \
            approval, waits for it (showing who must approve) unless --no-wait, which exits 4 with the request id; \
            run the same command again with --approval ID to pick that request up (waiting for it, or exiting 4 \
            again while it is pending) rather than open a new one. \
            With --output json, prints one JSON line {session, resource, host, port, expires_at} once the port is \
            ready, then nothing else on stdout; resources with a login add user and password (postgres: database \
            and uri; ssh: command and ssh_options, the OpenSSH options that pin the broker's host key). With \
            --direct (postgres resources with allow_direct), nothing listens locally: clients connect to the \
            broker's own PostgreSQL port over TLS (sslmode=verify-full) with the session's login; the output \
            names that host and port, the uri, and env, the libpq variables (PGHOST, PGPORT, PGUSER, PGPASSWORD, \
            PGSSLMODE, PGSSLROOTCERT, PGDATABASE), and the session is held until it ends as without --direct.
            """
    )

    @OptionGroup var client: ClientOptions
    @OptionGroup var approvals: ApprovalOptions

    @Argument(
        help: "The resource to connect to, as `hoopctl resources` lists it.", completion: BrokerCompletions.resources)
    var resource: String

    @Option(name: .long, help: "Local port to listen on, on 127.0.0.1 only (0 picks a free port).")
    var port = 0

    @Flag(
        name: .long,
        help: "Connect PostgreSQL clients to the broker itself over verified TLS instead of a local port.")
    var direct = false

    @Option(name: .long, help: "Why you need access; recorded with the session.")
    var reason: String?

    @Option(name: .long, help: "How long the session should last, e.g. 30m or 1h30m (the broker caps it).")
    var duration: String?

    @Flag(
        name: .long,
        help: "On Ctrl-C, leave the session open until it expires (default: end it, closing what it granted).")
    var keep = false

    @Option(
        name: .long,
        help: "Resume this session request (from an earlier --no-wait run) instead of opening a new one.")
    var approval: Int64?

    func validate() throws {
        if self.direct && self.port != 0 {
            throw ValidationError("--direct listens on no local port; drop --port")
        }
    }

    func run() async throws {
        let console = Console(format: self.client.output)
        let end: SessionTunnel.End
        do throws(LocalError) {
            guard (0...65535).contains(self.port) else {
                throw LocalError(.invalidInput, "invalid port \(self.port)", hint: "pass --port 1-65535, or 0")
            }
            var request = SessionRequest(
                resource: self.resource,
                reason: self.reason,
                durationSeconds: try self.duration.map { text throws(LocalError) in try DurationSyntax.seconds(text) }
            )
            let broker = try await BrokerClient.connect(try self.client.configuration())
            let waiting = self.approvals.wait(on: console)
            if let approval = self.approval {
                request.approval = try await waiting.resumeSession(approval, on: self.resource, client: broker).id
            }
            let tunnel =
                self.direct
                ? try await SessionTunnel.openDirect(client: broker, request: request, approvals: waiting)
                : try await SessionTunnel.open(
                    client: broker, request: request, port: self.port, approvals: waiting
                ) { event in
                    Self.report(event, on: console)
                }
            self.announce(tunnel, on: console)
            if let asked = request.durationSeconds {
                Self.reportCap(asked: asked, granted: tunnel.session, on: console)
            }
            end = await tunnel.serve()
            var revoked = false
            if end == .interrupted && !self.keep {
                if let problem = await tunnel.revoke() {
                    console.note("hoopctl: could not end session \(tunnel.session.id): \(problem)")
                } else {
                    revoked = true
                }
            }
            console.note(Self.farewell(end, session: tunnel.session, direct: self.direct, revoked: revoked))
        } catch {
            throw console.failure(error)
        }
        if end.exitStatus != .ok {
            throw ExitCode(end.exitStatus.rawValue)
        }
    }

    private func announce(_ tunnel: SessionTunnel, on console: Console) {
        let details = tunnel.details
        if console.isJSON {
            console.json(details)
            return
        }
        let address = "\(details.host):\(details.port)"
        console.line(
            "Session \(details.session) to \(details.resource) is open until \(Timestamp.format(details.expiresAt))."
        )
        console.line("Connect your client to \(address)\(tunnel.adapter.example(details))")
        if let environment = details.environment {
            console.line("or set:")
            for (name, value) in environment.sorted(by: { $0.key < $1.key }) {
                console.line("  export \(name)=\(ShellWord.quoted(value))")
            }
            console.line("Press Ctrl-C to stop.")
        } else {
            console.line("Press Ctrl-C to close the tunnel.")
        }
    }

    private static func report(_ event: PortForwarder.Event, on console: Console) {
        switch event {
        case .opened(let connections):
            if !console.isJSON {
                console.note("hoopctl: connection opened (\(connections) open)")
            }
        case .closed(let connections):
            if !console.isJSON {
                console.note("hoopctl: connection closed (\(connections) open)")
            }
        case .refused(let error), .failed(let error):
            console.note("hoopctl: tunnel not opened: \(ErrorDescription.of(error))")
        case .foreignPeer(let uid):
            let who = uid.map { "user \($0)" } ?? "a user that could not be identified"
            console.note(
                "hoopctl: refused a connection from \(who): only the user who ran `hoopctl connect` may use it")
        }
    }

    /// Says so when the broker granted less than --duration asked for (the resource's max_session).
    private static func reportCap(asked: Int, granted session: SessionInfo, on console: Console) {
        let lifetime = session.expiresAt.timeIntervalSince(session.createdAt)
        guard TimeInterval(asked) > lifetime + 1 else { return }
        console.note(
            "hoopctl: asked for \(DurationText.format(TimeInterval(asked))); the broker capped the session at "
                + "\(DurationText.format(lifetime)), the longest \(session.resource) allows")
    }

    private static func farewell(_ end: SessionTunnel.End, session: SessionInfo, direct: Bool, revoked: Bool)
        -> String
    {
        switch end {
        case .interrupted where revoked && direct:
            "hoopctl: interrupted; session \(session.id) ended and its direct login no longer works (pass --keep "
                + "to leave it open)"
        case .interrupted where revoked:
            "hoopctl: interrupted; tunnels closed and session \(session.id) ended (pass --keep to leave it open)"
        case .interrupted where direct:
            // Direct connections go to the broker, not through this process: they and the login outlive it.
            "hoopctl: interrupted. Session \(session.id) and its direct login stay valid until "
                + "\(Timestamp.format(session.expiresAt)); end them now with `hoopctl sessions revoke \(session.id)`"
        case .interrupted:
            "hoopctl: interrupted; tunnels closed. Session \(session.id) stays valid until "
                + "\(Timestamp.format(session.expiresAt)); end it now with `hoopctl sessions revoke \(session.id)`"
        case .expired:
            "hoopctl: session \(session.id) expired; tunnels closed"
        case .revoked:
            "hoopctl: session \(session.id) was revoked; tunnels closed"
        case .closed:
            "hoopctl: session \(session.id) was closed by the broker; tunnels closed"
        }
    }
}
