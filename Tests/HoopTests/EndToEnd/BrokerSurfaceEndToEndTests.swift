import Foundation
import HoopCore
import Testing

/// What the broker's own port shows to whoever can reach it: garbage tokens cost a few audit events a minute and
/// then a 429, not an event each; `/metrics` opens only to the scrape token, or on a listener of its own.
@Suite("End to end: the broker's exposed surface", .serialized)
struct BrokerSurfaceEndToEndTests {
    /// One HTTPS request with curl against the broker, trusting its CA: the status code and body.
    static func request(_ broker: BrokerProcess, _ path: String, token: String? = nil, base: String? = nil)
        async throws -> (status: Int, body: String)
    {
        var arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", "--cacert", broker.caFile.path]
        if let token { arguments += ["-H", "Authorization: Bearer \(token)"] }
        let result = try await ChildProcess.run("/usr/bin/curl", arguments + [(base ?? broker.url) + path])
        let lines = result.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        return (Int(lines.last ?? "") ?? 0, lines.dropLast().joined(separator: "\n"))
    }

    @Test("a source sending garbage tokens: five audited, the rest summarized in one event, then 429 before verifying")
    func garbageTokens() async throws {
        try await IdentityProvider.with { idp in
            let broker = try await BrokerProcess(issuer: idp.issuer, resourcesYAML: "  []")
            defer { broker.remove() }
            var statuses: [Int] = []
            try await broker.stoppingAfter {
                // One curl for all thirty (`--next` gives each its own token) on one kept-alive connection: they
                // must land within the limiter's one-minute window, which thirty processes' TLS handshakes on a
                // loaded machine did not always manage.
                var arguments: [String] = []
                for attempt in 0..<30 {
                    if attempt > 0 { arguments.append("--next") }
                    arguments += [
                        "-s", "-o", "/dev/null", "-w", "%{http_code}\n", "--cacert", broker.caFile.path, "-H",
                        "Authorization: Bearer garbage-\(attempt)", broker.url + APIPath.whoami,
                    ]
                }
                let burst = try await ChildProcess.run("/usr/bin/curl", arguments)
                statuses = burst.stdout.split(separator: "\n").compactMap { Int($0) }
                #expect(statuses.count == 30, "\(burst.stdout)\(burst.stderr)")
                let throttled = try await Self.request(broker, APIPath.whoami, token: "garbage")
                #expect(throttled.body.contains("too_many_rejected_tokens"), "\(throttled.body)")
                #expect(throttled.body.contains("retry in"))
            }
            #expect(statuses.prefix(20).allSatisfy { $0 == 401 }, "\(statuses)")
            #expect(statuses.dropFirst(20).allSatisfy { $0 == 429 }, "\(statuses)")
            let events = try await Evidence.auditEvents(broker)
            let individual = events.filter { $0.action == AuditAction.tokenRejected.rawValue }
            #expect(individual.count == 5, "the first five of the window are audited one by one")
            #expect(individual.allSatisfy { $0.details["source"] == "127.0.0.1" })
            let summaries = events.filter { $0.action == AuditAction.tokenRejectionsSummarized.rawValue }
            #expect(summaries.count == 1, "the rest are one summary, written at the latest at shutdown")
            #expect(summaries.first?.details["rejections"] == ["token_malformed": 20])
            #expect(summaries.first?.details["throttled"] == 11)
        }
    }

    @Test("/metrics answers only with the scrape token; without one configured the main port serves none")
    func metricsNeedAToken() async throws {
        try await IdentityProvider.with { idp in
            let broker = try await BrokerProcess(
                issuer: idp.issuer, resourcesYAML: "  []", extraYAML: "metrics:\n  token_env: SCRAPE_TOKEN",
                environment: ["SCRAPE_TOKEN": "scrape-secret-7"])
            defer { broker.remove() }
            try await broker.stoppingAfter {
                #expect(try await Self.request(broker, APIPath.metrics).status == 401)
                #expect(try await Self.request(broker, APIPath.metrics, token: "scrape-secret-8").status == 401)
                let scraped = try await Self.request(broker, APIPath.metrics, token: "scrape-secret-7")
                #expect(scraped.status == 200)
                #expect(scraped.body.contains("hoop_"), "\(scraped.body.prefix(200))")
            }
        }
        try await IdentityProvider.with { idp in
            let broker = try await BrokerProcess(issuer: idp.issuer, resourcesYAML: "  []")
            defer { broker.remove() }
            try await broker.stoppingAfter {
                let closed = try await Self.request(broker, APIPath.metrics)
                #expect(closed.status == 403)
                #expect(closed.body.contains("metrics.listen"))
            }
        }
    }

    @Test("with metrics.listen the numbers move to their own address and leave the main port")
    func metricsListener() async throws {
        let port = try TestEnvironment.freePort()
        try await IdentityProvider.with { idp in
            let broker = try await BrokerProcess(
                issuer: idp.issuer, resourcesYAML: "  []", extraYAML: "metrics:\n  listen: 127.0.0.1:\(port)")
            defer { broker.remove() }
            try await broker.stoppingAfter {
                #expect(try await Self.request(broker, APIPath.metrics).status == 404)
                let scraped = try await ChildProcess.run(
                    "/usr/bin/curl", ["-s", "-f", "http://127.0.0.1:\(port)\(APIPath.metrics)"])
                #expect(scraped.status == 0, "\(scraped.stderr)")
                #expect(scraped.stdout.contains("hoop_"))
            }
        }
    }
}
