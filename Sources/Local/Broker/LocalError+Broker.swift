import Foundation
import HoopCore

extension LocalError {
    /// Explains a non-2xx broker answer from its `APIErrorBody`, keeping the broker's message and hint.
    /// `unauthorizedHint` turns the broker's hint into what to do about a refused credential, which depends on where
    /// the credential came from.
    static func brokerAnswer(
        status: Int,
        body: Data,
        endpoint: BrokerEndpoint,
        unauthorizedHint: (_ brokerHint: String?) -> String
    ) -> LocalError {
        let detail = try? HoopJSON.decoder().decode(APIErrorBody.self, from: body).error
        let reason = detail?.message ?? "HTTP \(status)"
        let hint = detail?.hint
        switch status {
        case 401:
            return LocalError(
                .unauthorized,
                "the broker at \(endpoint.authority) did not accept your credentials: \(reason)",
                hint: unauthorizedHint(hint),
                brokerCode: detail?.code
            )
        case 403:
            return LocalError(.denied, "the broker denied the request: \(reason)", hint: hint, brokerCode: detail?.code)
        case 404:
            return LocalError(.notFound, "not found: \(reason)", hint: hint, brokerCode: detail?.code)
        default:
            return LocalError(
                .brokerError,
                "the broker at \(endpoint.authority) answered HTTP \(status): \(reason)",
                hint: hint,
                brokerCode: detail?.code
            )
        }
    }
}
