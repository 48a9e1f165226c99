import Dispatch

#if canImport(Darwin)
    import Darwin
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// SIGINT and SIGTERM as an async sequence, so a foreground command can close its tunnels cleanly on Ctrl-C instead
/// of dying mid-stream. While the sequence is iterated the signals do not kill the process; afterwards they do again.
enum TerminationSignal {
    static let numbers: [Int32] = [SIGINT, SIGTERM]

    static func signals() -> AsyncStream<Int32> {
        AsyncStream { continuation in
            let sources = SignalSources(
                Self.numbers.map { number in
                    signal(number, SIG_IGN)
                    let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
                    source.setEventHandler { continuation.yield(number) }
                    source.resume()
                    return source
                }
            )
            continuation.onTermination = { _ in sources.cancel() }
        }
    }
}

/// Dispatch signal sources, which are thread-safe, held so they can be cancelled when the stream ends.
private final class SignalSources: @unchecked Sendable {
    private let sources: [any DispatchSourceSignal]

    init(_ sources: [any DispatchSourceSignal]) {
        self.sources = sources
    }

    func cancel() {
        for source in self.sources {
            source.cancel()
        }
        for number in TerminationSignal.numbers {
            signal(number, SIG_DFL)
        }
    }
}
