import Foundation
import HoopCore
import Logging
import NIOCore
import NIOSSH
import Splice

/// Joins a client's SSH channel to the broker's channel on the target and relays it faithfully: data and stderr,
/// EOF, the channel requests (pty-req, window-change, env, signal, exec, shell, subsystem), their answers in order,
/// exit-status and exit-signal.
///
/// On the way it applies the resource's rules (shells and sftp may be off), asks the command judge before an exec
/// or subsystem request is forwarded — holding everything the client sends meanwhile — and records what crosses.
/// A recording that fails stops the session: nothing is relayed unrecorded.
final class SSHChannelSplice: @unchecked Sendable {
    // Everything here runs on the event loop both channels share; the judge's answer hops back onto it.
    private let client: SSHChannelEnd
    private let target: SSHChannelEnd
    private let eventLoop: any EventLoop
    private let recording: SSHChannelRecorder
    private let rules: SSHChannelRules
    private let judge: any SSHCommandJudge
    private let request: SSHCommandRequest
    private let logger: Logger
    /// Stops the whole connection, for failures the session must not outlive (a recording write).
    private let abortSession: () -> Void
    /// Audits a request the relay refused by itself (an `env` name); a failed write ends the connection.
    private let auditRefusal: (JSONValue) -> Void

    private var replies = SSHReplyOrder<() -> Void>()
    /// The command awaiting its judgement: what it asks, the request to forward, and whether it wants an answer.
    private var pending: (action: SSHCommandRequest.Action, event: Any, wantReply: Bool)?
    private var ended = false
    /// The resource's masking of target output, when it has a policy; and the timer that releases held tails.
    private let masking: SSHOutputMasking?
    private var pendingRelease: Scheduled<Void>?
    /// A terminal was requested: output must keep flowing while the user types.
    private var interactive = false
    /// The sftp subsystem runs on this channel: its packets are read and recorded as file operations.
    private var fileOperations: SFTPFileOperations?

    init(
        client: SSHChannelEnd,
        target: SSHChannelEnd,
        eventLoop: any EventLoop,
        recording: SSHChannelRecorder,
        rules: SSHChannelRules,
        judge: any SSHCommandJudge,
        request: SSHCommandRequest,
        logger: Logger,
        masking: SSHOutputMasking?,
        abortSession: @escaping () -> Void,
        auditRefusal: @escaping (JSONValue) -> Void = { _ in }
    ) {
        self.masking = masking
        self.client = client
        self.target = target
        self.eventLoop = eventLoop
        self.recording = recording
        self.rules = rules
        self.judge = judge
        self.request = request
        self.logger = logger
        self.abortSession = abortSession
        self.auditRefusal = auditRefusal
        client.splice = self
        target.splice = self
    }

    // MARK: Reads

    func received(_ data: SSHChannelData, from side: SSHChannelEnd.Side) {
        guard !ended else { return }
        switch side {
        case .client:
            // While a command awaits judgement the client's end keeps what it reads; this is what may pass.
            relay(data, to: target, direction: .up)
        case .target:
            relay(data, to: client, direction: .down)
        }
    }

    func readComplete(from side: SSHChannelEnd.Side) {
        partner(of: side).flush()
    }

    func partnerIsWritable(_ side: SSHChannelEnd.Side) -> Bool {
        partner(of: side).isWritable
    }

    func writabilityChanged(_ side: SSHChannelEnd.Side, writable: Bool) {
        partner(of: side).partnerWritabilityChanged(writable)
    }

    /// Returns false for events that are not the relay's, which the handler passes on.
    func handle(_ event: Any, from side: SSHChannelEnd.Side) -> Bool {
        guard !ended else { return true }
        switch side {
        case .client:
            return fromClient(event)
        case .target:
            return fromTarget(event)
        }
    }

    func closed(_ side: SSHChannelEnd.Side) {
        guard !ended else { return }
        if side == .target { releaseMaskedOutput() }
        masking?.channelClosed(recording.channel)
        stop()
        partner(of: side).closeAfterOutput()
        client.splice = nil
        target.splice = nil
    }

    func failed(_ side: SSHChannelEnd.Side, _ error: any Error) {
        logger.debug(
            "ssh channel failed",
            metadata: ["side": "\(side)", "channel": "\(recording.channel)", "error": "\(error)"]
        )
        partner(of: side).closeAfterOutput()
    }

    // MARK: Client to target

    private func fromClient(_ event: Any) -> Bool {
        switch event {
        case let exec as SSHChannelRequestEvent.ExecRequest:
            judgeThenForward(.exec(exec.command), event: exec, wantReply: exec.wantReply)
        case let subsystem as SSHChannelRequestEvent.SubsystemRequest:
            if let refusal = rules.refusal(subsystem: subsystem.subsystem) {
                record {
                    try recording.request(
                        "subsystem", ["name": .string(subsystem.subsystem), "refused": .string(refusal)])
                }
                refuse(refusal, wantReply: subsystem.wantReply)
            } else {
                judgeThenForward(.subsystem(subsystem.subsystem), event: subsystem, wantReply: subsystem.wantReply)
            }
        case let shell as SSHChannelRequestEvent.ShellRequest:
            if let refusal = rules.shellRefusal {
                record { try recording.request("shell", ["refused": .string(refusal)]) }
                refuse(refusal, wantReply: shell.wantReply)
            } else if record({ try recording.request("shell") }) {
                forward(shell, wantReply: shell.wantReply)
            }
        case let pty as SSHChannelRequestEvent.PseudoTerminalRequest:
            interactive = true
            if record({
                try recording.resize(columns: pty.terminalCharacterWidth, rows: pty.terminalRowHeight, term: pty.term)
            }) {
                forward(pty, wantReply: pty.wantReply)
            }
        case let change as SSHChannelRequestEvent.WindowChangeRequest:
            if record({ try recording.resize(columns: change.terminalCharacterWidth, rows: change.terminalRowHeight) })
            {
                forward(change, wantReply: false)
            }
        case let environment as SSHChannelRequestEvent.EnvironmentRequest:
            if let refusal = rules.environment.refusal(of: environment.name) {
                // Not forwarded: the target never sees the variable; the client hears a failure if it asked.
                guard
                    record({
                        try recording.request("env", ["name": .string(environment.name), "refused": .string(refusal)])
                    })
                else { return true }
                auditRefusal([
                    "statement": .string("env \(environment.name)"), "rule": "allow_env", "reason": .string(refusal),
                    "connection": .int(recording.connection),
                ])
                if environment.wantReply { answer(replies.decided(success: false)) }
            } else if record({
                try recording.request("env", ["name": .string(environment.name), "value": .string(environment.value)])
            }) {
                forward(environment, wantReply: environment.wantReply)
            }
        case let signal as SSHChannelRequestEvent.SignalRequest:
            if record({ try recording.request("signal", ["signal": .string(signal.signal)]) }) {
                forward(signal, wantReply: false)
            }
        case is ChannelSuccessEvent, is ChannelFailureEvent:
            // Answers to requests the target made of the client.
            target.send(event)
        case let channelEvent as ChannelEvent where channelEvent == .inputClosed:
            target.closeOutput()
        default:
            return false
        }
        return true
    }

    /// Events that must keep their place among the data: behind a held command they wait with it.
    static func keepsItsPlace(_ event: Any) -> Bool {
        if let channelEvent = event as? ChannelEvent { return channelEvent == .inputClosed }
        return event is SSHChannelRequestEvent.ExecRequest || event is SSHChannelRequestEvent.SubsystemRequest
            || event is SSHChannelRequestEvent.ShellRequest || event is SSHChannelRequestEvent.PseudoTerminalRequest
            || event is SSHChannelRequestEvent.WindowChangeRequest
            || event is SSHChannelRequestEvent.EnvironmentRequest || event is SSHChannelRequestEvent.SignalRequest
            || event is ChannelSuccessEvent || event is ChannelFailureEvent
    }

    private func forward(_ event: Any, wantReply: Bool) {
        if wantReply { replies.forwarded() }
        target.send(event)
    }

    // MARK: Target to client

    private func fromTarget(_ event: Any) -> Bool {
        // Whatever the masker holds back goes out before EOF. Not at the exit status: OpenSSH may send that while
        // output is still draining, so a held tail could meet its continuation after it.
        if (event as? ChannelEvent) == .inputClosed { releaseMaskedOutput() }
        switch event {
        case is ChannelSuccessEvent:
            answer(replies.targetAnswered(success: true))
        case is ChannelFailureEvent:
            answer(replies.targetAnswered(success: false))
        case let status as SSHChannelRequestEvent.ExitStatus:
            if record({ try recording.exit(["exit_status": .int(Int64(status.exitStatus))]) }) {
                client.send(status)
            }
        case let signal as SSHChannelRequestEvent.ExitSignal:
            let details: [String: JSONValue] = [
                "exit_signal": .string(signal.signalName), "core_dumped": .bool(signal.dumpedCore),
                "message": .string(signal.errorMessage),
            ]
            if record({ try recording.exit(details) }) {
                client.send(signal)
            }
        case let channelEvent as ChannelEvent where channelEvent == .inputClosed:
            client.closeOutput()
        case is SSHChannelRequestEvent.LocalFlowControlRequest:
            client.send(event)
        default:
            return false
        }
        return true
    }

    private func answer(_ due: [(success: Bool, then: (() -> Void)?)]) {
        for (success, then) in due {
            client.send(success ? ChannelSuccessEvent() as Any : ChannelFailureEvent() as Any)
            then?()
        }
    }

    // MARK: Judgement

    private func judgeThenForward(_ action: SSHCommandRequest.Action, event: Any, wantReply: Bool) {
        client.holdInput()
        pending = (action, event, wantReply)
        var question = request
        question.action = action
        let judge = judge
        Task {
            let decision = await judge.judge(question)
            self.eventLoop.execute { self.decided(decision) }
        }
    }

    private func decided(_ decision: SSHCommandDecision) {
        guard !ended, let (action, event, wantReply) = pending else { return }
        if case .hold = decision {} else { pending = nil }
        switch decision {
        case .allow:
            guard record({ try recordCommand(action, outcome: nil) }) else { return }
            if case .subsystem("sftp") = action { fileOperations = SFTPFileOperations() }
            forward(event, wantReply: wantReply)
            release()
        case .refuse(let message):
            guard record({ try recordCommand(action, outcome: ["refused": .string(message)]) }) else { return }
            // The channel ends with the refusal: what the client sent behind the command is dropped, not relayed.
            client.dropHeld()
            refuse(message, wantReply: wantReply)
        case .end(let message):
            // The decision could not be audited: fail closed, as PostgreSQL does — refuse, then end the whole
            // connection once the client has the message (or after a second, if it never closes its channel).
            guard record({ try recordCommand(action, outcome: ["refused": .string(message)]) }) else { return }
            client.dropHeld()
            refuse(message, wantReply: wantReply)
            stop()
            client.closed?.whenComplete { _ in self.abortSession() }
            eventLoop.scheduleTask(in: .seconds(1)) { self.abortSession() }
        case .hold(let notice, let next):
            guard record({ try recordCommand(action, outcome: ["held": .string(notice)]) }) else { return }
            client.writeStandardError("hoop: \(notice)\r\n")
            Task {
                let decision = await next()
                self.eventLoop.execute { self.decided(decision) }
            }
        }
    }

    private func recordCommand(_ action: SSHCommandRequest.Action, outcome: [String: JSONValue]?)
        throws(RecordingError)
    {
        var details = outcome ?? [:]
        switch action {
        case .exec(let command):
            details["command"] = .string(command)
            try recording.request("exec", details)
        case .subsystem(let name):
            details["name"] = .string(name)
            try recording.request("subsystem", details)
        }
    }

    /// Lets what waited behind a command through, in order, until it is all sent or another command must wait.
    private func release() {
        guard client.endHold() else { return }
        while true {
            switch client.nextHeld(partnerWritable: target.isWritable) {
            case .process(.data(let data)):
                relay(data, to: target, direction: .up)
            case .process(.event(let event)):
                _ = fromClient(event)
            case .passEndOfInput:
                target.closeOutput()
            case .holding:
                target.flush()
                return
            case .drained(let resumeReading):
                target.flush()
                if resumeReading { client.read() }
                return
            case .stopped:
                target.flush()
                return
            }
        }
    }

    /// Answers the request as if it ran and failed: the message on stderr, exit status 126, then the channel
    /// closes. OpenSSH prints the message and exits 126, the way a shell reports a command it cannot run.
    private func refuse(_ message: String, wantReply: Bool) {
        let finish: () -> Void = { [client, target] in
            client.writeStandardError("hoop: \(message)\r\n")
            client.send(SSHChannelRequestEvent.ExitStatus(exitStatus: 126))
            client.closeAfterOutput()
            target.closeAfterOutput()
        }
        if wantReply {
            answer(replies.decided(success: true, then: finish))
        } else {
            finish()
        }
    }

    // MARK: Helpers

    private func relay(_ data: SSHChannelData, to end: SSHChannelEnd, direction: RecordingDirection) {
        guard direction == .down, let masking else {
            guard record({ try recording.data(data, direction: direction) }), recordFileOperations(in: data, direction)
            else { return }
            end.write(data)
            return
        }
        if interactive {
            // Echoed keystrokes carry no newline; a terminal would freeze if they waited for one.
            pendingRelease?.cancel()
            pendingRelease = eventLoop.scheduleTask(in: SSHOutputMasking.idleRelease) {
                self.releaseMaskedOutput()
            }
        }
        guard let released = masking.mask(data) else { return }
        guard record({ try recording.data(released.data, direction: .down, masked: released.found) }) else { return }
        end.write(released.data)
    }

    /// Records the file operations sftp data completes; false when that failed (the session is then stopping).
    private func recordFileOperations(in data: SSHChannelData, _ direction: RecordingDirection) -> Bool {
        guard fileOperations != nil, data.type == .channel, case .byteBuffer(let buffer) = data.data else {
            return true
        }
        for event in fileOperations?.observe(buffer, direction: direction) ?? [] {
            guard record({ try recording.fileOperation(event) }) else { return false }
        }
        return true
    }

    /// Sends (and records) the masker's held-back tails.
    private func releaseMaskedOutput() {
        guard let masking, !ended else { return }
        pendingRelease?.cancel()
        pendingRelease = nil
        let tails = masking.release()
        for tail in tails {
            guard record({ try recording.data(tail.data, direction: .down, masked: tail.found) }) else { return }
            client.write(tail.data)
        }
        if !tails.isEmpty { client.flush() }
    }

    /// Runs a recording step; on failure stops the channel and the session and returns false.
    @discardableResult
    private func record(_ step: () throws -> Void) -> Bool {
        do {
            try step()
            return true
        } catch {
            logger.critical(
                "recording failed; closing the SSH session",
                metadata: ["recording": "\(recording.recorder.url.lastPathComponent)", "error": "\(error)"]
            )
            stop()
            client.closeAfterOutput()
            target.closeAfterOutput()
            abortSession()
            return false
        }
    }

    /// Nothing more is relayed either way; what waited behind a command is dropped.
    private func stop() {
        ended = true
        client.stopRelaying()
        target.stopRelaying()
    }

    private func partner(of side: SSHChannelEnd.Side) -> SSHChannelEnd {
        side == .client ? target : client
    }
}

/// The resource's settings that decide which requests a session channel may make, and the words of a refusal.
struct SSHChannelRules: Sendable {
    let resource: String
    let allowShell: Bool
    let allowSFTP: Bool
    /// The variables `env` requests may set.
    var environment = EnvironmentFilter()

    var shellRefusal: String? {
        allowShell
            ? nil
            : "interactive shells are not allowed on \(resource) (allow_shell is off); run a command instead, "
                + "e.g. ssh ... uptime"
    }

    func refusal(subsystem: String) -> String? {
        switch subsystem {
        case "sftp" where allowSFTP: nil
        case "sftp": "sftp (and scp) are not allowed on \(resource) (allow_sftp is off)"
        default: "the \(subsystem) subsystem is not relayed by the broker; only sftp is"
        }
    }
}
