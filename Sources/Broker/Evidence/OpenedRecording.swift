/// A recording being handed out: its first page, read when it was opened, then the rest a page at a time, so the
/// broker holds one page of it whatever its length. A read that fails after the first page ends the transfer: the
/// reader is left with a recording cut short, whose hash chain stops before its `end` event, never with other bytes.
struct OpenedRecording: Sendable {
    let name: String
    private var firstPage: [UInt8]?
    private var rest: RecordingPages
    private let unreadable: @Sendable (any Error) -> BrokerError

    /// `rest` has already handed out `firstPage`; `unreadable` turns a failed read into the error to report.
    init(
        name: String, firstPage: [UInt8], rest: RecordingPages,
        unreadable: @escaping @Sendable (any Error) -> BrokerError
    ) {
        self.name = name
        self.firstPage = firstPage
        self.rest = rest
        self.unreadable = unreadable
    }

    /// The next page, nil after the last.
    mutating func next() async throws(BrokerError) -> [UInt8]? {
        if let page = firstPage {
            firstPage = nil
            return page
        }
        do {
            return try await rest.next()
        } catch {
            throw unreadable(error)
        }
    }
}
