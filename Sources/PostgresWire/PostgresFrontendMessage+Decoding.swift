extension PostgresFrontendMessage {
    /// Reads the body of a typed message; the framing has already checked the type byte and cut the body out.
    package init(_ type: MessageType, from reader: inout PostgresMessageReader) throws(PostgresCodecError) {
        switch type {
        case .query:
            self = .query(try reader.readString("query"))
        case .parse:
            self = .parse(try Parse(from: &reader))
        case .bind:
            self = .bind(try Bind(from: &reader))
        case .describe:
            let target = try Self.readTarget(from: &reader)
            self = .describe(target, name: try reader.readString("name"))
        case .execute:
            let portal = try reader.readString("portal name")
            self = .execute(portal: portal, maxRows: try reader.readInteger("maximum rows"))
        case .sync:
            self = .sync
        case .flush:
            self = .flush
        case .close:
            let target = try Self.readTarget(from: &reader)
            self = .close(target, name: try reader.readString("name"))
        case .copyData:
            self = .copyData(reader.readRemainingBytes())
        case .copyDone:
            self = .copyDone
        case .copyFail:
            self = .copyFail(message: try reader.readString("error message"))
        case .functionCall:
            self = .functionCall(try FunctionCall(from: &reader))
        case .passwordFamily:
            self = .passwordFamily(reader.readRemainingBytes())
        case .terminate:
            self = .terminate
        }
        try reader.finish()
    }

    private static func readTarget(from reader: inout PostgresMessageReader) throws(PostgresCodecError) -> Target {
        let offset = reader.offset
        let byte = try reader.readInteger("target", as: UInt8.self)
        guard let target = Target(rawValue: byte) else {
            throw reader.unexpectedValue("target", "\(byte) (expected 'S' or 'P')", at: offset)
        }
        return target
    }
}
