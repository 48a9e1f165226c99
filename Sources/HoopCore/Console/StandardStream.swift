#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process's stdout and stderr, written without Foundation's `FileHandle.write(_:)`, which traps on any write
/// error: a reader that closes early (`hoopctl sessions list | head -3`) is ordinary for a CLI, not a crash.
package enum StandardStream: Sendable {
    case output
    case error

    /// What a write achieved.
    package enum WriteResult: Sendable, Equatable {
        case written
        /// The reader closed its end of the pipe (EPIPE); nothing more written here will be read.
        case readerGone
        /// Any other failure (a full disk behind a redirect, a revoked terminal), with its errno.
        case failed(Int32)
    }

    private var descriptor: Int32 {
        switch self {
        case .output: 1
        case .error: 2
        }
    }

    /// Writes every byte, retrying short writes and interrupted calls, and waiting (not spinning) while a
    /// non-blocking stream is full, so a slow reader slows the writer down. SIGPIPE must be ignored
    /// (`ignoreBrokenPipes`) for a closed pipe to come back as `.readerGone` instead of killing the process.
    @discardableResult
    package func write(_ bytes: some Collection<UInt8>) -> WriteResult {
        if let result = bytes.withContiguousStorageIfAvailable({ write(UnsafeRawBufferPointer($0)) }) {
            return result
        }
        return Array(bytes).withUnsafeBytes { write($0) }
    }

    private func write(_ buffer: UnsafeRawBufferPointer) -> WriteResult {
        var offset = 0
        while offset < buffer.count {
            let written = systemWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            if written >= 0 {
                offset += written
                continue
            }
            switch errno {
            case EINTR:
                continue
            case EAGAIN:
                var writable = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                _ = poll(&writable, 1, -1)
            case EPIPE:
                return .readerGone
            case let code:
                return .failed(code)
            }
        }
        return .written
    }

    /// Writes `text` as UTF-8.
    @discardableResult
    package func write(_ text: String) -> WriteResult {
        self.write(Array(text.utf8))
    }

    /// Makes a closed pipe an EPIPE error on write rather than a fatal SIGPIPE, for every stream and socket of the
    /// process; called once at start-up so the outcome does not depend on whether a library got there first.
    package static func ignoreBrokenPipes() {
        _ = signal(SIGPIPE, SIG_IGN)
    }
}

/// The C library's `write(2)`, named apart from `StandardStream.write`.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    #if canImport(Darwin)
        Darwin.write(descriptor, bytes, count)
    #elseif canImport(Musl)
        Musl.write(descriptor, bytes, count)
    #else
        Glibc.write(descriptor, bytes, count)
    #endif
}
