import NIOCore

/// A SQL engine's answer to one outcome of the guardrail gate, in its own protocol's words (`Reply`). SQL engines
/// share this shape so that `StatementGuard` can carry out the flow for all of them; only the words differ.
enum StatementGuardAnswer<Reply: Sendable>: Sendable {
    /// Forward the statement.
    case run
    /// The statement never reaches the target: `reply` answers the client, `text` goes in the recording.
    case refuse(reply: Reply, text: String, approval: Int64?)
    /// Tell the client `notice` now (protocols without asynchronous notices have none), then carry out what
    /// `decision` answers.
    case hold(notice: Reply?, decision: @Sendable () async -> StatementGuardAnswer<Reply>)
    /// End the connection (fail closed).
    case fail(GuardrailUnavailable)
}

/// A SQL engine's words for the gate's outcomes: a `GuardrailAdapter` whose answers have the shared shape.
protocol StatementGuardWords: GuardrailAdapter where Answer == StatementGuardAnswer<Reply> {
    associatedtype Reply: Sendable
}

/// What an engine's statement stage does with the guard's outcomes on one of its messages: the parts of the flow
/// that depend on the protocol (how an approved prepared statement is remembered, how a refusal keeps the protocol
/// in step) and nothing else.
protocol StatementGuardHost<Message, Outbound, Reply>: AnyObject, Sendable {
    /// What the client sends, and what the relay writes back to it.
    associatedtype Message: Sendable
    associatedtype Outbound: Sendable
    /// The engine's words for refusals and notices (`StatementGuardWords.Reply`).
    associatedtype Reply: Sendable
    /// The statement was approved: forward it (an engine may mark a prepared statement as approved once).
    func forwardApproved(_ message: Message) -> RelayVerdict<Message, Outbound>
    /// The statement is refused: record `text` and answer the client with `reply` without running it.
    func refuse(_ message: Message, reply: Reply, text: String, approval: Int64?) throws -> RelayVerdict<
        Message, Outbound
    >
    /// A notice that a statement is held, as the client is sent it.
    func notice(_ reply: Reply, for message: Message) -> Outbound
}

extension StatementGuardHost where Reply == Outbound {
    func notice(_ reply: Reply, for message: Message) -> Outbound { reply }
}

/// The guardrail flow every SQL engine's statement stage follows, written once: judge the text (off the event loop
/// when it is large), record it with the judgement before anything else happens, forward what is allowed at once,
/// and otherwise ask the connection's `GuardrailGate`, holding the client's side of the relay until the answer
/// arrives. A client that left while its statement waited gets nothing run on its behalf.
///
/// One guard serves one client connection. It is touched on the connection's event loop, or by the single
/// outstanding analysis, which the relay serializes (a hold stops reading until it ends).
final class StatementGuard<Words: StatementGuardWords>: @unchecked Sendable {
    typealias Answer = StatementGuardAnswer<Words.Reply>

    /// Texts longer than this are analysed off the event loop, so one huge statement cannot stall the other
    /// connections sharing the loop while it is lexed.
    static var inlineAnalysisLimit: Int { 64 * 1024 }

    private var judge: StatementJudge
    /// Present exactly when the judge is guarded.
    let gate: GuardrailGate?
    private let eventLoop: any EventLoop
    private let words: Words

    init(judge: StatementJudge, gate: GuardrailGate?, eventLoop: any EventLoop, words: Words) {
        self.judge = judge
        self.gate = judge.isGuarded ? gate : nil
        self.eventLoop = eventLoop
        self.words = words
    }

    /// Whether statements are judged at all; unguarded resources skip analysis entirely.
    var isGuarded: Bool { gate != nil }

    /// Judges `sql`, has `record` write the message with the judgement (nil on an unguarded resource), and decides
    /// the message's fate.
    func judged<Host: StatementGuardHost>(
        _ message: Host.Message, _ sql: String, host: Host,
        record: @escaping @Sendable (GuardrailJudgement?) throws -> Void
    ) throws -> RelayVerdict<Host.Message, Host.Outbound> where Host.Reply == Words.Reply {
        guard gate != nil else {
            try record(nil)
            return .forward([message])
        }
        guard sql.utf8.count > Self.inlineAnalysisLimit else {
            let judgement = judge.judge(sql)
            try record(judgement)
            return verdict(for: message, statement: sql, judgement, host: host)
        }
        let decision = eventLoop.makeFutureWithTask { self.judge.judge(sql) }.flatMapThrowing { judgement in
            try record(judgement)
            return self.verdict(for: message, statement: sql, judgement, host: host)
        }
        return .hold(notify: [], decision: decision)
    }

    /// Decides the fate of a message already judged (and recorded): forwards what is allowed at once; anything
    /// else waits for the gate.
    func verdict<Host: StatementGuardHost>(
        for message: Host.Message, statement: String, _ judgement: GuardrailJudgement, host: Host
    ) -> RelayVerdict<Host.Message, Host.Outbound> where Host.Reply == Words.Reply {
        guard let gate, judgement != .allow else { return .forward([message]) }
        let words = self.words
        let answer = eventLoop.makeFutureWithTask { await gate.answer(judgement, on: statement, with: words) }
        return .hold(notify: [], decision: answer.flatMapThrowing { try self.carryOut($0, on: message, host: host) })
    }

    /// Carries out the gate's answer. Runs on the connection's event loop, where the host's recorder lives.
    private func carryOut<Host: StatementGuardHost>(_ answer: Answer, on message: Host.Message, host: Host) throws
        -> RelayVerdict<Host.Message, Host.Outbound> where Host.Reply == Words.Reply
    {
        switch answer {
        case .run:
            // Only an approval leads here (allowed statements are forwarded before the gate). A client that left
            // while it waited gets nothing run on its behalf.
            if let gate, let why = gate.departed {
                let refusal = GuardrailRefusal(message: "the statement did not run: \(why.explanation)", approval: nil)
                return try carryOut(words.refuse(refusal), on: message, host: host)
            }
            return host.forwardApproved(message)
        case .refuse(let reply, let text, let approval):
            return try host.refuse(message, reply: reply, text: text, approval: approval)
        case .hold(let notice, let decision):
            let decided = eventLoop.makeFutureWithTask(decision).flatMapThrowing {
                try self.carryOut($0, on: message, host: host)
            }
            return .hold(notify: notice.map { [host.notice($0, for: message)] } ?? [], decision: decided)
        case .fail(let unavailable):
            throw unavailable
        }
    }
}
