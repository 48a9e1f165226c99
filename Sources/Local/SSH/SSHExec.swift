package import HoopCore
import NIOCore
import NIOPosix
import NIOSSH

/// `hoopctl exec` for SSH resources: a short-lived session whose tunnel is spoken to by an in-process SSH client,
/// which runs one command the way `ssh host COMMAND` does. Standard input is streamed to the command, its stdout
/// and stderr are written to ours (or to the caller's `CommandStreams`), kept apart, and its exit status is
/// returned. The broker sees an ordinary SSH
/// client, so its whole pipeline (rules, command judge, recording) applies. The session is revoked afterwards.
package enum SSHExec {
    /// `hoopctl exec`'s command runner for `ssh` resources.
    struct Runner: CommandRunner {
        func run(
            client: BrokerClient, request: SessionRequest, command: String, streams: CommandStreams,
            approvals: ApprovalWait, approval: ApprovalInfo?
        ) async throws(LocalError) -> CommandOutcome {
            try await SSHExec.run(
                client: client, request: request, command: command, streams: streams, approvals: approvals,
                approval: approval)
        }
    }

    /// Runs `command`; a session that needs approval first waits as `approvals` says.
    package static func run(
        client: BrokerClient, request: SessionRequest, command: String, streams: CommandStreams = .standard,
        approvals: ApprovalWait, approval: ApprovalInfo? = nil
    ) async throws(LocalError) -> CommandOutcome {
        try await approvals.runInSession(client, request, approval: approval) {
            (granted, headers) async throws(LocalError) in
            try await run(
                granted, client: client, request: request, command: command, streams: streams, headers: headers)
        }
    }

    private static func run(
        _ granted: SessionGrantResponse,
        client: BrokerClient,
        request: SessionRequest,
        command: String,
        streams: CommandStreams,
        headers: [(name: String, value: String)]
    ) async throws(LocalError) -> CommandExit {
        guard let credentials = granted.credentials, granted.session.resourceType == .ssh else {
            throw LocalError(
                .invalidInput,
                "\(request.resource) is \(granted.session.resourceType), not ssh",
                hint: "use `hoopctl connect \(request.resource)` and your usual client"
            )
        }
        let hostKey: NIOSSHPublicKey
        do {
            hostKey = try NIOSSHPublicKey(openSSHPublicKey: credentials.hostKey ?? "")
        } catch {
            throw LocalError(.brokerError, "the broker did not send a usable SSH host key for \(request.resource)")
        }
        let dialer = try TunnelDialer(
            endpoint: client.endpoint, trust: client.trust, grant: granted.grant, headers: headers)
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let exit = loop.makePromise(of: CommandExit.self)
        let upgrader = TunnelClientUpgrader { channel in
            try channel.pipeline.syncOperations.addHandler(SSHDeferredStart())
        }
        let channel: any Channel
        do throws(LocalError) {
            channel = try await dialer.open(on: loop, upgrader: upgrader)
        } catch {
            exit.fail(error)
            throw error
        }
        // Completes nothing if the command's channel already reported how it ended.
        channel.closeFuture.whenComplete { _ in
            exit.fail(SSHExecFailure(message: "the broker closed the connection before the command ended"))
        }
        let user = credentials.user
        let password = credentials.password
        loop.execute {
            do {
                let gate = try channel.pipeline.syncOperations.handler(type: SSHDeferredStart.self)
                let configuration = SSHClientConfiguration(
                    userAuthDelegate: SSHSessionLogin(user: user, password: password),
                    serverAuthDelegate: SSHPinnedHostKey(expected: hostKey)
                )
                try gate.start(
                    [
                        NIOSSHHandler(
                            role: .client(configuration),
                            allocator: channel.allocator,
                            inboundChildChannelInitializer: nil
                        ),
                        SSHExecConnectionWatcher(exit: exit),
                    ],
                    on: channel
                )
                SSHExecChannel.open(on: channel, command: command, streams: streams, exit: exit)
            } catch {
                exit.fail(error)
            }
        }
        do {
            return try await exit.futureResult.get()
        } catch let error as SSHExecFailure {
            throw LocalError(.tunnel, error.message)
        } catch {
            throw dialer.explain(error)
        }
    }
}

/// How the remote command ended.
package enum CommandExit: Sendable, Equatable {
    case status(Int)
    case signal(String)

    /// `hoopctl exec`'s exit code: the command's own status, or 128 plus the signal's number when a signal ended
    /// it, as shells report it.
    package var exitCode: Int32 {
        switch self {
        case .status(let status): Int32(truncatingIfNeeded: status & 0xff)
        case .signal(let name): 128 + (Self.signalNumbers[name] ?? 0)
        }
    }

    private static let signalNumbers: [String: Int32] = [
        "HUP": 1, "INT": 2, "QUIT": 3, "ILL": 4, "TRAP": 5, "ABRT": 6, "BUS": 7, "FPE": 8, "KILL": 9, "USR1": 10,
        "SEGV": 11, "USR2": 12, "PIPE": 13, "ALRM": 14, "TERM": 15,
    ]
}

/// The command could not be run to its end.
struct SSHExecFailure: Error {
    var message: String
}
