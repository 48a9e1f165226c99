import AsyncHTTPClient
import Foundation
import HoopCore
import NIOCore
import Testing

@testable import Local

@Suite("Local errors")
struct LocalErrorTests {
    let endpoint = try! BrokerEndpoint(parsing: "https://127.0.0.1:8443")

    func answer(_ status: Int, _ body: String) -> LocalError {
        LocalError.brokerAnswer(status: status, body: Data(body.utf8), endpoint: self.endpoint) { brokerHint in
            brokerHint ?? "run `hoopctl login`"
        }
    }

    @Test("each kind maps to its documented exit status")
    func exitStatuses() {
        #expect(LocalError(.invalidInput, "x").exitStatus == .usage)
        #expect(LocalError(.brokerUnreachable, "x").exitStatus == .brokerUnreachable)
        #expect(LocalError(.denied, "x").exitStatus == .denied)
        #expect(LocalError(.sessionRevoked, "x").exitStatus == .denied)
        #expect(LocalError(.unauthorized, "x").exitStatus == .error)
        #expect(LocalError(.brokerCertificateChanged, "x").exitStatus == .error)
    }

    @Test("the message carries what to do next, and JSON output gets a code")
    func rendering() {
        let error = LocalError(.loginExpired, "your login expired", hint: "run `hoopctl login`")
        #expect(error.description == "your login expired; run `hoopctl login`")
        #expect(
            error.detail
                == APIErrorDetail(code: "login_expired", message: "your login expired", hint: "run `hoopctl login`")
        )
        let fromBroker = LocalError(.denied, "no", brokerCode: "policy_denied")
        #expect(fromBroker.detail.code == "policy_denied")
        #expect(fromBroker.description == "no")
    }

    @Test("401 keeps the broker's words and says to log in")
    func unauthorized() {
        let error = self.answer(401, #"{"error":{"code":"token_expired","message":"token expired"}}"#)
        #expect(error.kind == .unauthorized)
        #expect(error.exitStatus == .error)
        #expect(error.message.contains("token expired"))
        #expect(error.hint == "run `hoopctl login`")
        #expect(error.brokerCode == "token_expired")
    }

    @Test("403 is a denial (exit 3) with the broker's message and hint")
    func denied() {
        let body = #"{"error":{"code":"denied","message":"not in group dba","hint":"ask for access"}}"#
        let error = self.answer(403, body)
        #expect(error.kind == .denied)
        #expect(error.exitStatus == .denied)
        #expect(error.message.contains("not in group dba"))
        #expect(error.hint == "ask for access")
    }

    @Test("other statuses are errors; a body that is not the API's error shape still gives the status")
    func otherStatuses() {
        #expect(self.answer(404, #"{"error":{"code":"not_found","message":"no session 7"}}"#).kind == .notFound)
        let error = self.answer(502, "<html>bad gateway</html>")
        #expect(error.kind == .brokerError)
        #expect(error.exitStatus == .error)
        #expect(error.message.contains("HTTP 502"))
    }

    @Test("failures to connect mean the broker is unreachable (exit 5)")
    func unreachable() {
        let failures: [any Error] = [
            IOError(errnoCode: ECONNREFUSED, reason: "connect"),
            ChannelError.connectTimeout(.seconds(10)),
            HTTPClientError.connectTimeout,
            HTTPClientError.deadlineExceeded,
            HTTPClientError.remoteConnectionClosed,
        ]
        for failure in failures {
            let error = LocalError.transport(failure, endpoint: self.endpoint, trust: nil)
            #expect(error.kind == .brokerUnreachable, "\(failure)")
            #expect(error.exitStatus == .brokerUnreachable)
            #expect(error.message.contains("127.0.0.1:8443"))
        }
        let refused = LocalError.transport(
            IOError(errnoCode: ECONNREFUSED, reason: "connect"),
            endpoint: self.endpoint,
            trust: nil
        )
        #expect(refused.message.hasSuffix("connection refused"))
    }

    @Test("errors already explained pass through unchanged")
    func passThrough() {
        let original = LocalError(.notLoggedIn, "not logged in")
        #expect(LocalError.transport(original, endpoint: self.endpoint, trust: nil) == original)
    }
}
