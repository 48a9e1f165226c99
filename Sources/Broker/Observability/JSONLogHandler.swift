import Foundation
import HoopCore
package import Logging
import Synchronization

/// One JSON object per line on stderr (`time`, `level`, `label`, `message`, metadata), for log shippers.
package struct JSONLogHandler: LogHandler {
    package var logLevel: Logger.Level = .info
    package var metadata: Logger.Metadata = [:]
    private let label: String
    /// One lock so concurrent lines never interleave; a closed stderr drops lines rather than stopping the broker.
    private static let output = Mutex(StandardStream.error)

    package init(label: String) {
        self.label = label
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
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
        Self.output.withLock { _ = $0.write(line) }
    }
}
