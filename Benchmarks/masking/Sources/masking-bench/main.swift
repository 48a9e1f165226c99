import Masking

/// Throughput check for the masking module: masks synthetic result rows cell by cell, and the same rows as one
/// byte stream, printing MB/s and rows/s. Build with `swift build -c release` and run `masking-bench`.

let policy = try MaskingPolicy(
    detectors: DetectorKind.allCases,
    strategy: .redact,
    columns: [],
    custom: []
)
let masker = ValueMasker(policy: policy, key: MaskingKey(bytes: Array(repeating: UInt8(1), count: 32)))

/// Rows shaped like typical application tables: ids, timestamps, amounts, short text, and (in the "many hits"
/// set) an email, a phone number, a card number and an IP address in every row.
func rows(count: Int, withHits: Bool) -> [[String]] {
    (0..<count).map { index in
        var row = [
            "\(100_000 + index)", "2024-01-\(10 + index % 18) 10:22:\(10 + index % 50)",
            "\(index % 997).\(index % 100)",
            "shipped", "Customer asked about order \(index); resolved by support team in 2 days",
            "v1.\(index % 9).\(index % 7)",
        ]
        if withHits {
            row += [
                "user\(index)@example.com", "+1 (415) 555-\(1000 + index % 9000)", "4242 4242 4242 4242",
                "10.0.\(index % 256).\(index % 200)",
            ]
        } else {
            row += ["Jane Doe", "Springfield", "pending review", "note \(index)"]
        }
        return row
    }
}

func measure(_ name: String, rows: [[String]]) {
    let bytes = rows.reduce(0) { $0 + $1.reduce(0) { $0 + $1.utf8.count } }
    var hits = 0
    let clock = ContinuousClock()
    let elapsed = clock.measure {
        for row in rows {
            for cell in row { hits += masker.mask(cell).findings.total }
        }
    }
    report(name, bytes: bytes, rows: rows.count, hits: hits, elapsed: elapsed)

    let stream = Array(rows.map { $0.joined(separator: "\t") }.joined(separator: "\n").utf8)
    var streamHits = 0
    let streamElapsed = clock.measure {
        var streamMasker = StreamMasker(masker: masker)
        var offset = 0
        var emitted = 0
        while offset < stream.count {
            let end = min(offset + 1_500, stream.count)
            emitted += streamMasker.feed(stream[offset..<end]).count
            offset = end
        }
        emitted += streamMasker.finish().count
        streamHits = streamMasker.summary.total
        precondition(emitted > 0)
    }
    report("\(name), as a stream", bytes: stream.count, rows: rows.count, hits: streamHits, elapsed: streamElapsed)
}

func report(_ name: String, bytes: Int, rows: Int, hits: Int, elapsed: Duration) {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    let megabytes = Double(bytes) / 1_000_000
    let throughput = (megabytes / seconds * 10).rounded() / 10
    let rowRate = (Double(rows) / seconds).rounded()
    print("\(name): \(throughput) MB/s, \(Int(rowRate)) rows/s (\(rows) rows, \(bytes) bytes, \(hits) hits)")
}

/// Rows per data set; the first argument overrides it (small counts suit instruction-counting profilers).
let rowCount = CommandLine.arguments.dropFirst().first.flatMap { Int($0) } ?? 50_000
measure("few hits", rows: rows(count: rowCount, withHits: false))
measure("many hits", rows: rows(count: rowCount, withHits: true))
