import HTTPTypes
import HoopCore
import Hummingbird
import NIOCore

extension AddCheckpointOutcome {
    /// The HTTP answer tlog-witness prescribes: 200 with the cosignature line, 409 with only the cosigned size typed
    /// `text/x.tlog.size`, any other refusal with its reason as text.
    var response: Response {
        switch self {
        case .cosigned(let signature):
            return Self.text(signature.line, status: .ok, type: Self.plainText)
        case .refused(let refusal):
            if let size = refusal.cosignedSize {
                return Self.text(TreeSizeBody.encode(size), status: refusal.status, type: TreeSizeBody.contentType)
            }
            return Self.text(refusal.reason + "\n", status: refusal.status, type: Self.plainText)
        }
    }

    private static let plainText = "text/plain; charset=utf-8"

    private static func text(_ body: String, status: HTTPResponse.Status, type: String) -> Response {
        Response(
            status: status, headers: [.contentType: type], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
