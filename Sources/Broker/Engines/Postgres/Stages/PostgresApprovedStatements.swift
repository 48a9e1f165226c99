import PostgresWire

/// Keeps an approval to one execution in the extended protocol.
///
/// An approved Parse would otherwise leave a prepared statement the client could Bind and Execute as often as it
/// likes, and a Parse the server skips (an earlier error in the batch) would leave the broker unsure which text a
/// name stands for. So an approved statement never lives under a name the client chose: the broker prepares it under
/// a random name of its own and lets the client reach it through its name for exactly one Bind, whose portal gets a
/// random name too and admits exactly one Execute. Describe and Close follow the mapping. Anything after that —
/// another Bind of the statement, another Execute of the portal — is refused; preparing the text again asks for a
/// new approval.
///
/// A value owned by the statement stage; it only rewrites messages and never touches the channel.
struct PostgresApprovedStatements {
    /// What the stage does with a client message that names statements or portals.
    enum Action: Equatable {
        /// Forward this (possibly renamed) message.
        case forward(PostgresFrontendMessage)
        /// Refuse the message: the approval it would need has been spent.
        case refuse(reason: String)
    }

    /// A statement the broker prepared under `serverName`, reachable through the client's name for `bindsLeft`
    /// more Binds.
    private struct Statement {
        var serverName: String
        var approval: Int64?
        var bindsLeft: Int
    }

    /// A portal bound from an approved statement, under `serverName`, with `executesLeft` more Executes.
    private struct Portal {
        var serverName: String
        var approval: Int64?
        var executesLeft: Int
    }

    private var statements: [String: Statement] = [:]
    private var portals: [String: Portal] = [:]

    /// The approved Parse, renamed to a name only the broker knows; the client's name now leads to it for one Bind.
    mutating func approved(_ parse: PostgresFrontendMessage.Parse, approval: Int64?) -> PostgresFrontendMessage {
        let serverName = Self.freshName("stmt")
        statements[parse.name] = Statement(serverName: serverName, approval: approval, bindsLeft: 1)
        var renamed = parse
        renamed.name = serverName
        return .parse(renamed)
    }

    /// Any other client message: renamed when it names an approved statement or portal, refused when the approval
    /// behind it is spent, forwarded untouched otherwise.
    mutating func route(_ message: PostgresFrontendMessage) -> Action {
        switch message {
        case .parse(let parse):
            // A new statement under this name: the approved one (kept under its own name) is no longer reachable.
            statements[parse.name] = nil
            return .forward(message)
        case .bind(let bind):
            // The Bind replaces whatever portal had this name.
            portals[bind.portal] = nil
            guard var statement = statements[bind.statement] else { return .forward(message) }
            guard statement.bindsLeft > 0 else {
                return .refuse(reason: Self.spent("statement", bind.statement, statement.approval, "bound"))
            }
            statement.bindsLeft -= 1
            statements[bind.statement] = statement
            let portalName = Self.freshName("portal")
            portals[bind.portal] = Portal(serverName: portalName, approval: statement.approval, executesLeft: 1)
            var renamed = bind
            renamed.statement = statement.serverName
            renamed.portal = portalName
            return .forward(.bind(renamed))
        case .execute(let portal, let maxRows):
            guard var approved = portals[portal] else { return .forward(message) }
            guard approved.executesLeft > 0 else {
                return .refuse(reason: Self.spent("portal", portal, approved.approval, "executed"))
            }
            approved.executesLeft -= 1
            portals[portal] = approved
            return .forward(.execute(portal: approved.serverName, maxRows: maxRows))
        case .describe(let target, let name):
            return .forward(.describe(target, name: serverName(target, name) ?? name))
        case .close(let target, let name):
            guard let serverName = serverName(target, name) else { return .forward(message) }
            switch target {
            case .statement: statements[name] = nil
            case .portal: portals[name] = nil
            }
            return .forward(.close(target, name: serverName))
        case .query:
            // A simple query drops the unnamed statement and portal on the server; the mapping follows.
            statements[""] = nil
            portals[""] = nil
            return .forward(message)
        default:
            return .forward(message)
        }
    }

    private func serverName(_ target: PostgresFrontendMessage.Target, _ name: String) -> String? {
        switch target {
        case .statement: statements[name]?.serverName
        case .portal: portals[name]?.serverName
        }
    }

    private static func spent(_ kind: String, _ name: String, _ approval: Int64?, _ verb: String) -> String {
        let label = name.isEmpty ? "the unnamed \(kind)" : "\(kind) \"\(name)\""
        let covered = approval.map { "approval \($0)" } ?? "its approval"
        return "\(label) was already \(verb) once under \(covered), which covers one execution; "
            + "prepare the statement again to request a new approval"
    }

    /// 128 random bits: a name no client can guess, so the approved statement is reachable only through the broker.
    private static func freshName(_ kind: String) -> String {
        var name = "hoop_approved_\(kind)_"
        for _ in 0..<16 {
            let byte = UInt8.random(in: 0...255)
            name += byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }
        return name
    }
}
