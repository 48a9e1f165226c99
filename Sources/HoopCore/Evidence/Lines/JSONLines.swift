/// The JSON-lines layout shared by every evidence file: one canonical JSON object per line, each line ended by `\n`.
package enum JSONLines {
    /// The lines of `bytes`, numbered from 1. A missing final newline is tolerated; an empty line is kept (and then
    /// fails to parse), so line numbers always match what an editor shows.
    package static func split(_ bytes: [UInt8]) -> [(number: Int, text: ArraySlice<UInt8>)] {
        var lines: [(number: Int, text: ArraySlice<UInt8>)] = []
        var start = bytes.startIndex
        for index in bytes.indices where bytes[index] == UInt8(ascii: "\n") {
            lines.append((lines.count + 1, bytes[start..<index]))
            start = index + 1
        }
        if start < bytes.endIndex { lines.append((lines.count + 1, bytes[start...])) }
        return lines
    }

    /// `lines` joined, each with its newline.
    package static func join(_ lines: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for line in lines {
            bytes.append(contentsOf: line.utf8)
            bytes.append(UInt8(ascii: "\n"))
        }
        return bytes
    }
}
