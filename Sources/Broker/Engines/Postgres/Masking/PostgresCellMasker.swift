import Foundation
import Masking
import NIOCore
import PostgresWire

/// Masks one result cell according to its column's plan, in text or binary format, and keeps the cell well-formed:
/// binary arrays and records are decoded, masked element by element and re-encoded with their new lengths; jsonb
/// keeps its version byte; a whole-value replacement of a json value is a JSON string. What cannot be rewritten
/// in its binary form (a rule over an integer, an unknown type) is refused, never sent half-masked.
struct PostgresCellMasker {
    /// How a column's values are masked.
    typealias Plan = CellMaskPlan

    enum Outcome: Equatable {
        case keep
        case replace(ByteBuffer)
        /// The value cannot be masked in its format; the reason names the type.
        case refuse(String)
    }

    /// The summary label of a withheld value.
    static let withheldLabel = TextCellMasker.withheldLabel

    var masker: ValueMasker { text.masker }
    private var text: TextCellMasker
    private let tokenless: ValueMasker
    private(set) var summary = MaskingSummary()

    init(masker: ValueMasker) {
        text = TextCellMasker(masker: masker)
        self.tokenless = masker.withoutTokens
    }

    mutating func takeSummary() -> MaskingSummary {
        summary.merge(text.takeSummary())
        defer { summary = MaskingSummary() }
        return summary
    }

    mutating func mask(_ cell: ByteBuffer, type: UInt32, format: PostgresFormat, plan: Plan) -> Outcome {
        guard format == .binary else { return maskText(cell, type: type, plan: plan) }
        switch PostgresTypeFamily(oid: type) {
        case .textual:
            return maskText(cell, type: type, plan: plan)
        case .jsonb:
            guard cell.readableBytes >= 1, cell.getInteger(at: cell.readerIndex, as: UInt8.self) == 1 else {
                return .refuse("jsonb in an unknown binary version")
            }
            var body = cell.getSlice(at: cell.readerIndex + 1, length: cell.readableBytes - 1) ?? ByteBuffer()
            switch maskText(body, type: type, plan: plan) {
            case .replace(var masked):
                body = ByteBuffer(integer: UInt8(1))
                body.writeBuffer(&masked)
                return .replace(body)
            case let other: return other
            }
        case .integer(let bytes, let signed):
            return maskNumber(Self.integerText(cell, bytes: bytes, signed: signed), type: type, plan: plan)
        case .float(let bytes):
            return maskNumber(Self.floatText(cell, bytes: bytes), type: type, plan: plan)
        case .numeric:
            return maskNumber(Self.numericText(cell), type: type, plan: plan)
        case .opaqueScalar:
            if case .detect = plan { return .keep }
            return .refuse("a binary value of type \(type) cannot hold a masked replacement")
        case .array:
            return maskContainer(cell, type: type, plan: plan, layout: .array)
        case .record:
            return maskContainer(cell, type: type, plan: plan, layout: .record)
        case .unknown:
            return .refuse("the binary form of type \(type) is unknown to the broker")
        }
    }

    // MARK: Text

    private mutating func maskText(_ cell: ByteBuffer, type: UInt32, plan: Plan) -> Outcome {
        text.mask(cell, plan: plan, json: PostgresTypeFamily.isJSON(type)).map { .replace($0) } ?? .keep
    }

    // MARK: Numbers

    /// A number in binary: the detectors read its decimal form, as they would in text format. A hit, or a rule
    /// that needs the whole value replaced, cannot be written back as a number, so the result is refused.
    private mutating func maskNumber(_ text: String?, type: UInt32, plan: Plan) -> Outcome {
        guard case .detect = plan else { return .refuse("a binary number of type \(type) cannot hold a mask") }
        guard let text else { return .refuse("a malformed binary number of type \(type)") }
        let found = tokenless.mask(text)
        guard found.findings.isEmpty else {
            summary.merge(found.findings)
            return .refuse("a binary number of type \(type) holds a value the detectors mask")
        }
        return .keep
    }

    static func integerText(_ cell: ByteBuffer, bytes: Int, signed: Bool) -> String? {
        guard cell.readableBytes == bytes else { return nil }
        let at = cell.readerIndex
        switch (bytes, signed) {
        case (2, _): return cell.getInteger(at: at, as: Int16.self).map { String($0) }
        case (4, true): return cell.getInteger(at: at, as: Int32.self).map { String($0) }
        case (4, false): return cell.getInteger(at: at, as: UInt32.self).map { String($0) }
        case (8, _): return cell.getInteger(at: at, as: Int64.self).map { String($0) }
        default: return nil
        }
    }

    /// The float both as PostgreSQL prints it by default and, when integral, as plain digits (a card number cast to
    /// float8 prints as `4.11111111111111e+15` but was chosen to be read as digits).
    static func floatText(_ cell: ByteBuffer, bytes: Int) -> String? {
        guard cell.readableBytes == bytes else { return nil }
        let value: Double
        if bytes == 4 {
            guard let bits = cell.getInteger(at: cell.readerIndex, as: UInt32.self) else { return nil }
            value = Double(Float(bitPattern: bits))
        } else {
            guard let bits = cell.getInteger(at: cell.readerIndex, as: UInt64.self) else { return nil }
            value = Double(bitPattern: bits)
        }
        guard let integral = Int64(exactly: value.rounded(.towardZero)) else { return "\(value)" }
        return "\(value) \(integral)"
    }

    /// numeric's binary form (`ndigits, weight, sign, dscale`, then base-10000 digits) as PostgreSQL prints it.
    /// Values too large to print cheaply are nil, which refuses them.
    static func numericText(_ cell: ByteBuffer) -> String? {
        var reader = cell
        guard let count = reader.readInteger(as: Int16.self), let weight = reader.readInteger(as: Int16.self),
            let sign = reader.readInteger(as: UInt16.self), let scale = reader.readInteger(as: Int16.self),
            count >= 0, scale >= 0, weight <= 1000, reader.readableBytes == Int(count) * 2
        else { return nil }
        var digits: [Int] = []
        for _ in 0..<count {
            guard let digit = reader.readInteger(as: Int16.self), (0..<10_000).contains(digit) else { return nil }
            digits.append(Int(digit))
        }
        switch sign {
        case 0xC000: return "NaN"
        case 0xD000: return "Infinity"
        case 0xF000: return "-Infinity"
        case 0x0000, 0x4000: break
        default: return nil
        }
        func digit(_ index: Int) -> Int { digits.indices.contains(index) ? digits[index] : 0 }
        func padded(_ value: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: 4 - text.count) + text
        }
        var text = sign == 0x4000 ? "-" : ""
        if weight < 0 {
            text += "0"
        } else {
            for index in 0...Int(weight) { text += index == 0 ? String(digit(index)) : padded(digit(index)) }
        }
        if scale > 0 {
            var fraction = ""
            var index = Int(weight) + 1
            while fraction.count < scale {
                fraction += padded(digit(index))
                index += 1
            }
            text += "." + fraction.prefix(Int(scale))
        }
        return text
    }

    // MARK: Arrays and records

    private enum Layout { case array, record }

    /// Decodes an array (`ndim, flags, element type, dimensions, elements`) or a record (`count, then type and
    /// value per field`), masks each non-null element under the same plan, and re-encodes it.
    private mutating func maskContainer(_ cell: ByteBuffer, type: UInt32, plan: Plan, layout: Layout) -> Outcome {
        var reader = cell
        var output = ByteBuffer()
        var changed = false
        let malformed = Outcome.refuse("a malformed binary value of type \(type)")
        var elements: [(type: UInt32, value: ByteBuffer?)] = []
        switch layout {
        case .array:
            guard let dimensions = reader.readInteger(as: Int32.self), let flags = reader.readInteger(as: Int32.self),
                let elementType = reader.readInteger(as: UInt32.self), (0...6).contains(dimensions)
            else { return malformed }
            output.writeInteger(dimensions)
            output.writeInteger(flags)
            output.writeInteger(elementType)
            var count = dimensions == 0 ? 0 : 1
            for _ in 0..<dimensions {
                guard let size = reader.readInteger(as: Int32.self), let lower = reader.readInteger(as: Int32.self),
                    size >= 0
                else { return malformed }
                output.writeInteger(size)
                output.writeInteger(lower)
                count = count.multipliedReportingOverflow(by: Int(size)).partialValue
            }
            guard count <= reader.readableBytes / 4 else { return malformed }
            for _ in 0..<count {
                guard let element = Self.readValue(&reader) else { return malformed }
                elements.append((elementType, element))
            }
        case .record:
            guard let count = reader.readInteger(as: Int32.self), count >= 0, Int(count) <= reader.readableBytes / 8
            else { return malformed }
            output.writeInteger(count)
            for _ in 0..<count {
                guard let fieldType = reader.readInteger(as: UInt32.self), let value = Self.readValue(&reader)
                else { return malformed }
                elements.append((fieldType, value))
            }
        }
        guard reader.readableBytes == 0 else { return malformed }
        for element in elements {
            if layout == .record { output.writeInteger(element.type) }
            guard var value = element.value else {
                output.writeInteger(Int32(-1))
                continue
            }
            switch mask(value, type: element.type, format: .binary, plan: plan) {
            case .keep: break
            case .replace(let masked):
                value = masked
                changed = true
            case .refuse(let reason): return .refuse(reason)
            }
            output.writeInteger(Int32(value.readableBytes))
            output.writeBuffer(&value)
        }
        return changed ? .replace(output) : .keep
    }

    /// One length-prefixed value; `.some(nil)` is NULL, nil is malformed.
    private static func readValue(_ reader: inout ByteBuffer) -> ByteBuffer?? {
        guard let length = reader.readInteger(as: Int32.self) else { return nil }
        if length == -1 { return .some(nil) }
        guard length >= 0, let value = reader.readSlice(length: Int(length)) else { return nil }
        return .some(value)
    }
}
