package import AsyncHTTPClient
package import Foundation
package import HoopCore
import NIOCore
import NIOHTTP1

/// Submits checkpoints to tlog-witnesses (`POST <prefix>/add-checkpoint`) and reads their answers. It does not
/// verify cosignatures: only the caller knows which witness keys it pins.
package struct WitnessClient: Sendable {
    /// More than any answer the protocol allows (a few signature lines, a size or a short reason).
    package static let maximumReplySize = 64 * 1024
    private static let maximumReasonLength = 500

    private let http: HTTPClient

    package init(httpClient: HTTPClient = .shared) {
        http = httpClient
    }

    /// Sends `note` with the consistency proof from `oldSize` (the size the caller believes the witness cosigned
    /// last; 0 with an empty proof when it does not know) and reads the reply within `timeout`.
    package func addCheckpoint(
        url prefix: URL, oldSize: Int64, proof: [TreeHash], note: SignedNote, timeout: Duration
    ) async throws(WitnessClientError) -> WitnessReply {
        let url = Self.endpoint(prefix)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.body = .bytes(AddCheckpointRequest(oldSize: oldSize, proof: proof, note: note).body)
        let status: Int
        let contentType: String?
        let body: ByteBuffer
        do {
            let response = try await http.execute(request, deadline: .now() + TimeAmount(timeout))
            status = Int(response.status.code)
            contentType = response.headers.first(name: "content-type")
            body = try await response.body.collect(upTo: Self.maximumReplySize)
        } catch let error as NIOTooManyBytesError {
            throw .malformedReply(url, "longer than \(error.maxBytes ?? Self.maximumReplySize) bytes")
        } catch let error as HTTPClientError where Self.timeouts.contains(error) {
            throw .timedOut(url, "\(error)")
        } catch {
            throw .unreachable(url, "\(error)")
        }
        return try Self.reply(status: status, contentType: contentType, body: body.readableBytesView, url: url)
    }

    /// The witness's answer read by its status, as tlog-witness defines each.
    package static func reply(status: Int, contentType: String?, body: some Collection<UInt8>, url: String)
        throws(WitnessClientError) -> WitnessReply
    {
        switch status {
        case 200:
            guard let text = String(validating: body, as: UTF8.self), text.hasSuffix("\n") else {
                throw .malformedReply(url, "a 200 answer is not newline-terminated UTF-8 signature lines")
            }
            var lines: [NoteSignature] = []
            for line in text.dropLast().split(separator: "\n", omittingEmptySubsequences: false) {
                do throws(EvidenceFormatError) {
                    lines.append(try NoteSignature(line: line))
                } catch {
                    throw .malformedReply(url, "a 200 answer holds a line that is not a signature: \(error.reason)")
                }
            }
            return .cosigned(lines)
        case 409:
            let mediaType = contentType?.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased()
            if mediaType == TreeSizeBody.contentType, let size = TreeSizeBody.decode(body) {
                return .conflict(witnessSize: size)
            }
            return .refused(status: status, reason: reason(body))
        default:
            return .refused(status: status, reason: reason(body))
        }
    }

    /// A witness's reason text made safe to log and audit: printable characters only, cut short.
    private static func reason(_ body: some Collection<UInt8>) -> String {
        let text = String(decoding: body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let printable = String(
            String.UnicodeScalarView(
                text.unicodeScalars.map { $0.properties.generalCategory == .control ? " " : $0 }))
        return String(printable.prefix(maximumReasonLength))
    }

    private static let timeouts: [HTTPClientError] = [
        .deadlineExceeded, .connectTimeout, .readTimeout, .writeTimeout, .getConnectionFromPoolTimeout,
    ]

    /// `<prefix>/add-checkpoint`, whether or not the prefix ends in a slash.
    private static func endpoint(_ prefix: URL) -> String {
        let base = prefix.absoluteString
        return (base.hasSuffix("/") ? base : base + "/") + "add-checkpoint"
    }
}
