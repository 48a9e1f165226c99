import Foundation
import Synchronization

/// Where things are when tests run: the repository, the built `hoopctl`, free loopback ports, scratch directories.
enum TestEnvironment {
    static let repositoryRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("cannot find the repository root above \(#filePath)")
    }()

    /// The `hoopctl` binary built next to the test bundle (`swift build` runs before `swift test`).
    static var hoopctl: String {
        let executable = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("hoopctl")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate.path }
            directory.deleteLastPathComponent()
        }
        let fallback = repositoryRoot.appendingPathComponent(".build/debug/hoopctl").path
        precondition(FileManager.default.isExecutableFile(atPath: fallback), "build hoopctl first: swift build")
        return fallback
    }

    /// A port that was free a moment ago on 127.0.0.1, taken from below the kernel's ephemeral range.
    ///
    /// A port the kernel hands out for `bind(0)` comes from the same range it uses for the local end of outgoing
    /// connections, so under a busy suite one of those can take it before the peer started on it binds (a real
    /// CI failure: "Address already in use"). Ports below that range are never picked by the kernel; a
    /// process-wide cursor keeps two tests from being handed the same one.
    static func freePort() throws -> Int {
        for _ in 0..<PortCursor.span {
            let port = PortCursor.next()
            if canBind(port) { return port }
        }
        throw PeerError("no free port between \(PortCursor.lowest) and \(PortCursor.lowest + PortCursor.span)")
    }

    private static func canBind(_ port: Int) -> Bool {
        guard let descriptor = boundSocket(port: port) else { return false }
        close(descriptor)
        return true
    }

    /// A TCP socket bound to 127.0.0.1:`port`, or nil when the port is taken; the caller closes it.
    static func boundSocket(port: Int) -> Int32? {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { return nil }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0 else {
            close(descriptor)
            return nil
        }
        return descriptor
    }

    /// A fresh directory, removed by the caller's `defer`.
    static func scratchDirectory(_ label: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("hoop-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Hands out test ports in turn from 20000–31999, below Linux's default ephemeral range (32768–60999), starting
/// at a random place so that two suites run one after the other do not reuse each other's ports in TIME_WAIT.
private enum PortCursor {
    static let lowest = 20000
    static let span = 12000
    private static let cursor = Mutex(Int.random(in: 0..<span))

    static func next() -> Int {
        cursor.withLock { offset in
            offset = (offset + 1) % span
            return lowest + offset
        }
    }
}
