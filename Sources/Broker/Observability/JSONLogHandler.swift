import Foundation
import HoopCore
public import Logging
import Synchronization

/// One JSON object per line on stderr (`time`, `level`, `label`, `message`, metadata), for log shippers.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    private let label: String
    private static let output = Mutex(FileHandle.standardError)

    public init(label: String) {
        self.label = label
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var object: [String: JSONValue] = [
            "time": .string(Timestamp.format(Date())),
            "level": .string(event.level.rawValue),
            "label": .string(label),
            "message": .string(event.message.description),
        ]
        for (key, value) in metadata.merging(event.metadata ?? [:], uniquingKeysWith: { $1 }) {
            object[key] = .string(value.description)
        }
        let line = CanonicalJSON.encode(.object(object)) + [UInt8(ascii: "\n")]
        Self.output.withLock { $0.write(Data(line)) }
    }
}
