package import NIOCore

/// The parameters of a COM_STMT_EXECUTE: what follows the statement id and flags. Their layout depends on the
/// statement (its parameter count, from the prepare response) and on the previous execute (a client sends the
/// types only when they change), so the command keeps them as bytes and this reads them with that context.
///
/// This is the layout without CLIENT_QUERY_ATTRIBUTES (MySQL 8.0.23+ adds a parameter count and names with it):
/// the broker never negotiates that capability on either side.
package struct MySQLExecuteParameters: Sendable, Equatable {
    /// A bound parameter's type: the column type and a flag byte whose high bit says UNSIGNED.
    package struct ParameterType: Sendable, Hashable {
        package static let unsignedFlag: UInt8 = 0x80

        package var type: MySQLColumnType
        package var flags: UInt8

        package init(type: MySQLColumnType, flags: UInt8 = 0) {
            self.type = type
            self.flags = flags
        }

        package var isUnsigned: Bool {
            flags & Self.unsignedFlag != 0
        }
    }

    /// Always 1 from MySQL clients; MariaDB's bulk execution uses another command.
    package var iterationCount: UInt32
    /// The types in force for this execute: the ones sent, or the previous execute's when none were.
    package var types: [ParameterType]
    /// One entry per parameter: its bytes in its type's layout (without a length prefix), or nil for NULL and for a
    /// parameter whose value came earlier through COM_STMT_SEND_LONG_DATA.
    package var values: [ByteBuffer?]
    /// Whether this execute sent the types (the "new params bound" flag).
    package var newParamsBound: Bool
    /// The parameters whose values were sent with COM_STMT_SEND_LONG_DATA and are absent here.
    package var longDataParameters: Set<Int>

    package init(
        iterationCount: UInt32 = 1,
        types: [ParameterType],
        values: [ByteBuffer?],
        newParamsBound: Bool,
        longDataParameters: Set<Int> = []
    ) {
        self.iterationCount = iterationCount
        self.types = types
        self.values = values
        self.newParamsBound = newParamsBound
        self.longDataParameters = longDataParameters
    }

    /// Reads the parameters of an execute for a statement with `paramCount` parameters. `previousTypes` are the
    /// types of the statement's last execute, needed when this one does not send them; `longDataParameters` the
    /// indexes that received COM_STMT_SEND_LONG_DATA since, which have no value here.
    package static func parse(
        _ remainder: ByteBuffer,
        paramCount: Int,
        previousTypes: [ParameterType]?,
        longDataParameters: Set<Int> = []
    ) throws(MySQLWireError) -> MySQLExecuteParameters {
        var buffer = remainder
        let iterationCount = try buffer.readMySQLInteger(as: UInt32.self, "iteration count")
        guard paramCount > 0 else {
            try buffer.expectMySQLEnd("COM_STMT_EXECUTE without parameters")
            return MySQLExecuteParameters(iterationCount: iterationCount, types: [], values: [], newParamsBound: false)
        }
        let bitmap = try MySQLNullBitmap(reading: &buffer, count: paramCount, offset: 0)
        let newParamsBound = try buffer.readMySQLInteger(as: UInt8.self, "new params bound flag")
        let types: [ParameterType]
        switch newParamsBound {
        case 1:
            var sent: [ParameterType] = []
            for index in 0..<paramCount {
                let type = try buffer.readMySQLInteger(as: UInt8.self, "type of parameter \(index)")
                let flags = try buffer.readMySQLInteger(as: UInt8.self, "flags of parameter \(index)")
                sent.append(ParameterType(type: MySQLColumnType(type), flags: flags))
            }
            types = sent
        case 0:
            guard let previousTypes, previousTypes.count == paramCount else {
                throw .malformed("COM_STMT_EXECUTE sends no parameter types and none were bound before")
            }
            types = previousTypes
        default:
            throw .malformed("new params bound flag \(newParamsBound)")
        }
        var values: [ByteBuffer?] = []
        for (index, type) in types.enumerated() {
            if bitmap.isNull(index) || longDataParameters.contains(index) {
                values.append(nil)
            } else {
                values.append(try type.type.readBinaryValue(from: &buffer, "value of parameter \(index)"))
            }
        }
        try buffer.expectMySQLEnd("COM_STMT_EXECUTE parameters")
        return MySQLExecuteParameters(
            iterationCount: iterationCount,
            types: types,
            values: values,
            newParamsBound: newParamsBound == 1,
            longDataParameters: longDataParameters
        )
    }

    /// Writes the parameters as `parse` read them: the remainder of a `MySQLCommand.statementExecute`.
    package func encode(into buffer: inout ByteBuffer) {
        buffer.writeMySQLInteger(iterationCount)
        guard !values.isEmpty else { return }
        let nulls = values.indices.map { values[$0] == nil && !longDataParameters.contains($0) }
        MySQLNullBitmap(nulls: nulls, offset: 0).write(into: &buffer)
        buffer.writeInteger(UInt8(newParamsBound ? 1 : 0))
        if newParamsBound {
            for type in types {
                buffer.writeInteger(type.type.rawValue)
                buffer.writeInteger(type.flags)
            }
        }
        for (value, type) in zip(values, types) {
            if let value {
                type.type.writeBinaryValue(value, into: &buffer)
            }
        }
    }

    package var remainder: ByteBuffer {
        var buffer = ByteBuffer()
        encode(into: &buffer)
        return buffer
    }
}
