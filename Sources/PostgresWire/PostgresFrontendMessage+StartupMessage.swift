extension PostgresFrontendMessage {
    /// StartupMessage: the protocol version the client asks for and its connection parameters.
    package struct StartupMessage: Sendable, Equatable {
        package var protocolVersion: ProtocolVersion
        /// In the order sent, duplicates included: which one wins is the server's rule, and the broker should see
        /// what the server would see. `user` is required; names starting `_pq_.` are protocol extensions.
        package var parameters: [Parameter]

        package init(protocolVersion: ProtocolVersion, parameters: [Parameter]) {
            self.protocolVersion = protocolVersion
            self.parameters = parameters
        }

        package struct Parameter: Sendable, Hashable {
            package var name: String
            package var value: String

            package init(name: String, value: String) {
                self.name = name
                self.value = value
            }
        }

        /// The value the server would use for `name`: the last one sent, as it reads the list in order.
        package func value(of name: String) -> String? {
            parameters.last { $0.name == name }?.value
        }
    }

    /// A protocol version as the startup packet carries it: major in the high 16 bits, minor in the low.
    ///
    /// Any 3.x is accepted, not only 3.0: PostgreSQL 18's libpq asks for 3.2 when told to, and the right answer to
    /// a minor version the broker does not speak is NegotiateProtocolVersion, which needs the message decoded.
    package struct ProtocolVersion: Sendable, Hashable, CustomStringConvertible {
        package var major: UInt16
        package var minor: UInt16

        // Named as the protocol documentation writes versions, "3.0" and "3.2".
        // swift-format-ignore: AlwaysUseLowerCamelCase
        package static let v3_0 = ProtocolVersion(major: 3, minor: 0)
        // swift-format-ignore: AlwaysUseLowerCamelCase
        package static let v3_2 = ProtocolVersion(major: 3, minor: 2)

        package init(major: UInt16, minor: UInt16) {
            self.major = major
            self.minor = minor
        }

        package init(code: Int32) {
            self.major = UInt16(truncatingIfNeeded: code >> 16)
            self.minor = UInt16(truncatingIfNeeded: code)
        }

        package var code: Int32 { Int32(bitPattern: UInt32(major) << 16 | UInt32(minor)) }

        package var description: String { "\(major).\(minor)" }
    }
}

extension PostgresFrontendMessage.StartupMessage {
    /// Reads the body after the version code: name/value string pairs ended by an empty name (a lone NUL byte).
    package init(version: PostgresFrontendMessage.ProtocolVersion, from reader: inout PostgresMessageReader)
        throws(PostgresCodecError)
    {
        var parameters: [Parameter] = []
        while true {
            let name = try reader.readString("parameter name")
            if name.isEmpty {
                break
            }
            parameters.append(Parameter(name: name, value: try reader.readString("parameter value")))
        }
        self.init(protocolVersion: version, parameters: parameters)
    }

    package func write(to writer: inout PostgresMessageWriter) throws(PostgresCodecError) {
        writer.writeInteger(protocolVersion.code)
        for parameter in parameters {
            try writer.writeListEntry(parameter.name, "parameter name")
            try writer.writeString(parameter.value, "parameter value")
        }
        writer.writeInteger(UInt8(0))
    }
}
