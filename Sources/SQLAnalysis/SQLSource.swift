/// The analysed text as Unicode scalars, so the lexer can look ahead freely and still report byte offsets.
struct SQLSource: Sendable {
    let scalars: [Unicode.Scalar]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
    }

    var count: Int { scalars.count }

    /// The scalar at `index`, or nil past either end.
    subscript(_ index: Int) -> Unicode.Scalar? {
        index >= 0 && index < scalars.count ? scalars[index] : nil
    }

    /// The UTF-8 byte offset of scalar `index`, which is how problems are reported.
    func utf8Offset(of index: Int) -> Int {
        scalars[..<min(max(index, 0), scalars.count)].reduce(0) { $0 + UTF8.width($1) }
    }

    /// The source text of a scalar range.
    func text(_ range: Range<Int>) -> String {
        // Through UTF-8 bytes: appending scalars to a string view one by one was a visible cost per statement.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(range.count)
        for scalar in scalars[range] {
            if scalar.isASCII {
                bytes.append(UInt8(truncatingIfNeeded: scalar.value))
            } else {
                UTF8.encode(scalar) { bytes.append($0) }
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A problem located at scalar `index`.
    func problem(_ kind: SQLAnalysisProblem.Kind, at index: Int, _ reason: String) -> SQLAnalysisProblem {
        SQLAnalysisProblem(kind, offset: utf8Offset(of: index), reason)
    }
}
