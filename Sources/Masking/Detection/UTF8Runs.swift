/// Splits bytes into maximal runs of well-formed UTF-8, so custom patterns (which match `String`s) can run over
/// byte streams that also carry binary data without shifting any offsets.
enum UTF8Runs {
    static func valid(in bytes: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var position = 0
        var runStart = 0
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                position += encoded.count
            case .error(let length):
                if runStart < position { runs.append(runStart..<position) }
                position += length
                runStart = position
            case .emptyInput:
                if runStart < position { runs.append(runStart..<position) }
                return runs
            }
        }
    }
}
