import PostgresWire

/// The extended-protocol requests in flight on one connection, as far as result masking needs them: which prepared
/// statement and result formats a portal was bound with, so rows of a portal the client never described (asyncpg,
/// pgjdbc with cached statements: `Describe S` once, then `Bind`/`Execute` alone) can still be masked by their
/// columns' provenance and formats.
///
/// The statement stage records each request as it is sent (``sent(_:)``); the result masker consumes them as the
/// answers come back, in the same order — PostgreSQL answers strictly in order, and after an error skips to the
/// next Sync, which ``errored()`` mirrors. During COPY FROM STDIN the target ignores every Sync (and Flush) the
/// client sends before its CopyDone or CopyFail — libpq pipelines one right behind the COPY's Execute — so when a
/// COPY starts (``copyInStarted()``) those Syncs stop counting as boundaries, or every later answer would be matched
/// against the request before it. A statement's description is kept per name and generation: a new Parse
/// of the name starts a new generation, so a description can never be applied to a different statement's rows.
/// Whatever does not line up leaves the rows undescribed, and undescribed rows are refused.
///
/// Shared by the two stages of one connection, on its event loop.
final class PostgresExtendedFlow: @unchecked Sendable {
    enum Request: Equatable {
        case describeStatement(name: String, generation: Int)
        case describePortal(name: String)
        case bind(portal: String, statement: String, generation: Int, formats: [PostgresFormat])
        case execute(portal: String)
        /// Sync, or a simple Query: both end with ReadyForQuery.
        case boundary
        /// CopyDone or CopyFail, sent before the target's CopyInResponse arrived: where a COPY's input ends.
        case copyEnd
    }

    struct Binding: Equatable {
        var statement: String
        var generation: Int
        var formats: [PostgresFormat]
    }

    private(set) var pending: [Request] = []
    private var generations: [String: Int] = [:]
    /// Row descriptions of prepared statements, by name, with the generation they describe.
    private var descriptions: [String: (generation: Int, fields: [PostgresBackendMessage.FieldDescription])] = [:]
    private var portals: [String: Binding] = [:]
    /// Row descriptions of portals (Describe P), which carry the formats the Bind chose.
    private var portalDescriptions: [String: [PostgresBackendMessage.FieldDescription]] = [:]
    private var describing: (name: String, generation: Int)?
    /// The portal whose rows are arriving.
    private var executing: String?
    /// Where the target is in a COPY FROM STDIN the client is still feeding.
    private var copyInput = CopyInput.none

    private enum CopyInput {
        case none
        /// The target reads COPY data and ignores the client's Syncs until its CopyDone or CopyFail.
        case open
        /// The target ended the COPY with an error while the client was still sending; it drops the CopyDone or
        /// CopyFail still to come, and the client's next Sync ends the skip after the error as usual.
        case failed
    }
    /// Bounded, like the target's own pipeline depth in practice; a client that never reads answers loses
    /// descriptions (its rows are refused), never memory.
    private let capacity = 4096

    // MARK: Client → target

    func sent(_ message: PostgresFrontendMessage) {
        switch message {
        case .parse(let parse):
            generations[parse.name, default: 0] += 1
        case .close(.statement, let name):
            generations[name, default: 0] += 1
        case .describe(.statement, let name):
            append(.describeStatement(name: name, generation: generations[name, default: 0]))
        case .describe(.portal, let name):
            append(.describePortal(name: name))
        case .bind(let bind):
            append(
                .bind(
                    portal: bind.portal, statement: bind.statement,
                    generation: generations[bind.statement, default: 0], formats: bind.resultFormats))
        case .execute(let portal, _):
            append(.execute(portal: portal))
        case .sync where copyInput == .open:
            break
        case .sync, .query, .functionCall:
            append(.boundary)
        case .copyDone, .copyFail:
            if copyInput != .none {
                copyInput = .none
            } else {
                append(.copyEnd)
            }
        default:
            break
        }
    }

    private func append(_ request: Request) {
        if pending.count >= capacity { pending.removeFirst() }
        pending.append(request)
    }

    // MARK: Target → client

    /// ParameterDescription: the answer to the oldest Describe of a statement.
    func statementDescriptionStarted() {
        guard case .describeStatement(let name, let generation) = popUntil({ $0.isDescribeStatement }) else {
            describing = nil
            return
        }
        describing = (name, generation)
    }

    /// The RowDescription (or NoData, as `[]`) that completes a statement's description.
    func statementDescribed(_ fields: [PostgresBackendMessage.FieldDescription]) {
        guard let describing else { return }
        descriptions[describing.name] = (describing.generation, fields)
        self.describing = nil
    }

    /// A RowDescription (or NoData, as `[]`) outside a statement's description: a portal's, or a simple query's.
    func portalDescribed(_ fields: [PostgresBackendMessage.FieldDescription]) {
        guard pending.first?.isDescribePortal == true, case .describePortal(let name) = pending.removeFirst() else {
            return
        }
        portalDescriptions[name] = fields
    }

    func bindCompleted() {
        guard case .bind(let portal, let statement, let generation, let formats) = popUntil({ $0.isBind }) else {
            return
        }
        portals[portal] = Binding(statement: statement, generation: generation, formats: formats)
        portalDescriptions[portal] = nil
    }

    /// The columns of the rows now arriving for an Execute, with the formats its Bind chose; nil when unknown.
    func columnsOfExecutingPortal() -> [PostgresBackendMessage.FieldDescription]? {
        if executing == nil {
            guard case .execute(let portal) = popUntil({ $0.isExecute }) else { return nil }
            executing = portal
        }
        guard let portal = executing else { return nil }
        if let described = portalDescriptions[portal] { return described }
        guard let binding = portals[portal],
            let description = descriptions[binding.statement], description.generation == binding.generation,
            binding.formats.count <= 1 || binding.formats.count == description.fields.count
        else { return nil }
        return description.fields.enumerated().map { index, field in
            var bound = field
            bound.format = PostgresFormat.of(valueAt: index, formats: binding.formats)
            return bound
        }
    }

    /// CopyInResponse: the request in front (an Execute, or the Query's boundary) started a COPY FROM STDIN, and the
    /// Syncs the client sent behind it before the COPY's input ends are ignored by the target.
    func copyInStarted() {
        guard let start = pending.firstIndex(where: { $0.isExecute || $0 == .boundary }) else {
            copyInput = .open
            return
        }
        var index = start + 1
        while index < pending.count {
            switch pending[index] {
            case .copyEnd:
                pending.remove(at: index)
                return
            case .boundary:
                pending.remove(at: index)
            default:
                index += 1
            }
        }
        copyInput = .open
    }

    /// CommandComplete, PortalSuspended or EmptyQueryResponse: the Execute in front is answered.
    func executeCompleted() {
        if executing != nil {
            executing = nil
        } else if pending.first?.isExecute == true {
            pending.removeFirst()
        }
    }

    /// An error: the target skips every request up to the next Sync.
    func errored() {
        if copyInput == .open { copyInput = .failed }
        executing = nil
        describing = nil
        while let first = pending.first, first != .boundary { pending.removeFirst() }
    }

    /// ReadyForQuery: everything up to and including the boundary it answers is done.
    func ready() {
        executing = nil
        describing = nil
        while let first = pending.first {
            pending.removeFirst()
            if first == .boundary { break }
        }
        // The input end of a COPY that never started (its statement failed first): the target drops it unread.
        while pending.first == .copyEnd { pending.removeFirst() }
    }

    /// Pops requests up to the first one `matching`, never past a boundary; nil when there is none.
    private func popUntil(_ matching: (Request) -> Bool) -> Request? {
        while let first = pending.first, first != .boundary {
            pending.removeFirst()
            if matching(first) { return first }
        }
        return nil
    }
}

extension PostgresExtendedFlow.Request {
    fileprivate var isDescribeStatement: Bool {
        if case .describeStatement = self { true } else { false }
    }
    fileprivate var isDescribePortal: Bool {
        if case .describePortal = self { true } else { false }
    }
    fileprivate var isBind: Bool {
        if case .bind = self { true } else { false }
    }
    fileprivate var isExecute: Bool {
        if case .execute = self { true } else { false }
    }
}
