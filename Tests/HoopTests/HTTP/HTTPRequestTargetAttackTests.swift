import Testing

@testable import Broker

/// Request-targets a hostile agent writes to reach a guarded path under a spelling the rules do not see: each one
/// is either refused or canonicalized to the segments the target will route to, so the same rule catches it.
@Suite("HTTP request-target: spelling attacks")
struct HTTPRequestTargetAttackTests {
    /// One guarded request, as an operator writes it.
    static let judge = HTTPRequestJudge(
        rules: [
            GuardrailRule(
                name: "no-user-deletes",
                match: GuardrailMatch(methods: ["DELETE"], paths: [try! PathTemplate("/v1/users/{id}")]),
                action: .block)
        ],
        caseInsensitivePaths: false)

    /// The verdict on `DELETE raw`, or the refusal's kind when the target will not be parsed.
    static func outcome(_ raw: String, judge: HTTPRequestJudge = judge) -> String {
        do {
            let target = try HTTPRequestTarget(parsing: raw)
            let facts = HTTPRequestFacts(method: "DELETE", target: target, body: .empty)
            return judge.judge(facts).label
        } catch {
            return "refused:\(error.kind.rawValue)"
        }
    }

    static let blockedSpellings: [String] = [
        // Percent-encoding of unreserved characters, either case of hex digit.
        "/v1/%75sers/1", "/v1/u%73ers/1", "/%76%31/users/%31",
        "/v1/users/%31", "/v1/%75%73%65%72%73/1",
        // Dot segments, plain and encoded, at every depth.
        "/v1/x/../users/1", "/v1/./users/1", "/v1/users/./1", "/v1/users/1/.", "/v1/users/x/..//1/../1",
        "/v1/x/%2e%2e/users/1", "/v1/x/%2E%2E/users/1", "/v1/x/.%2e/users/1", "/v1/%2e/users/1",
        "/v1/users/1/x/..", "/x/y/../../v1/users/1",
        // Merged and trailing slashes.
        "//v1/users/1", "/v1//users/1", "/v1/users//1", "/v1/users/1/", "/v1/users/1//", "///v1///users///1",
        // Matrix parameters that servlet containers and some routers strip, in every place.
        "/v1/users/1;x=y", "/v1/users;x/1", "/v1;a=b/users;c=d/1;e=f", "/v1/users/1;",
        // Matrix parameters on dot segments, which Tomcat resolves after stripping (`..;` is `..`).
        "/v1/x/..;/users/1", "/v1/x/..;jsessionid=1/users/1", "/v1/.;/users/1", "/v1/;/users/1",
        "/v1/x/%2e%2e;/users/1",
    ]

    @Test("every spelling of a guarded DELETE is blocked", arguments: blockedSpellings)
    func blockedSpelling(_ raw: String) {
        #expect(Self.outcome(raw) == "block", "DELETE \(raw)")
    }

    static let refusedSpellings: [String] = [
        // Encoded separators and the escape character itself, which proxies and servers read differently.
        "/v1/users%2F1", "/v1/users%2f1", "/v1/users/1%2F", "/v1/users/..%2F1", "/v1/users%5C1", "/v1/users%5c1",
        "/v1/%2575sers/1", "/v1/users/%2531", "/v1/users/1%25",
        // Raw bytes outside the grammar: backslash, space, quote, angle brackets, fragment, non-ASCII.
        "/v1\\users\\1", "/v1/users\\1", "/v1/users/1 ", "/v1/users/1#frag", "/v1/<users>/1", "/v1/us\"ers/1",
        "/v1/us\u{E9}rs/1", "/v1/users/1\u{0}",
        // Control characters, encoded.
        "/v1/users/1%00", "/v1/users/1%0A", "/v1/users/1%0d%0a", "/v1/users/1%09", "/v1/users/1%7F",
        // Malformed escapes.
        "/v1/users/%", "/v1/users/%3", "/v1/users/%G1", "/v1/users/1%",
        // Overlong UTF-8 for `/` and `.`, and bytes that are not UTF-8 at all.
        "/v1/users%C0%AF1", "/v1/x/%C0%AE%C0%AE/users/1", "/v1/users/%E0%80%AF1", "/v1/users/%FF",
        "/v1/users/%C3", "/v1/users/%ED%A0%80",
        // Climbing above the root.
        "/..", "/../v1/users/1", "/v1/../../v1/users/1", "/%2e%2e/v1/users/1",
        // Targets that are not a path.
        "*", "http://api.internal/v1/users/1", "v1/users/1", "", "api.internal:443",
    ]

    @Test("spellings with no single reading are refused", arguments: refusedSpellings)
    func refusedSpelling(_ raw: String) {
        #expect(Self.outcome(raw).hasPrefix("refused:"), "DELETE \(raw) gave \(Self.outcome(raw))")
    }

    @Test("the forwarded path is the canonical one the rules judged")
    func canonicalForwarding() throws {
        let cases: [(raw: String, forwarded: String)] = [
            ("/v1/%75sers/1", "/v1/users/1"), ("/v1/x/../users/1", "/v1/users/1"), ("//v1//users/1", "/v1/users/1"),
            ("/v1/users/1/", "/v1/users/1/"), ("/v1/users/1/.", "/v1/users/1/"), ("/v1/users/%7e", "/v1/users/~"),
            ("/v1/caf%c3%a9", "/v1/caf%C3%A9"), ("/v1/a%3bb", "/v1/a%3Bb"), ("/v1/users?x=%2F..%2F#", ""),
            ("/v1/users?a=%2f&b=1", "/v1/users?a=%2f&b=1"), ("/", "/"), ("/.", "/"), ("/v1/..", "/"),
        ]
        for (raw, forwarded) in cases {
            let target = try? HTTPRequestTarget(parsing: raw)
            if forwarded.isEmpty {
                #expect(target == nil, "\(raw) is refused")
            } else {
                #expect(
                    target?.forwarded == forwarded, "\(raw) forwards as \(forwarded): \(String(describing: target))")
            }
        }
        // A decoded segment keeps reserved characters the rules read literally.
        #expect(try HTTPRequestTarget(parsing: "/v1/caf%C3%A9").segments == ["v1", "café"])
        #expect(try HTTPRequestTarget(parsing: "/v1/a%3Fb").segments == ["v1", "a?b"])
    }

    @Test("the forwarded path re-parses to itself: no second decoding reaches another path")
    func idempotent() throws {
        for raw in Self.blockedSpellings + ["/v1/a%3Bb/c", "/v1/%C3%A9", "/v1/~x/-._"] {
            guard let once = try? HTTPRequestTarget(parsing: raw) else { continue }
            let twice = try HTTPRequestTarget(parsing: once.forwarded)
            #expect(twice == once, "\(raw) → \(once.forwarded) → \(twice.forwarded)")
        }
    }

    @Test("upper-case spellings are blocked where the target ignores case, allowed where it does not")
    func caseFolding() {
        let insensitive = HTTPRequestJudge(rules: Self.judge.rules, caseInsensitivePaths: true)
        for raw in ["/V1/USERS/1", "/v1/Users/1", "/v1/%55sers/1", "/V1/uSeRs/1;x"] {
            #expect(Self.outcome(raw, judge: insensitive) == "block", "DELETE \(raw) on a case-insensitive target")
            #expect(Self.outcome(raw) == "allow", "DELETE \(raw) is another path on a case-sensitive target")
        }
    }

    @Test("format suffixes and trailing dots stay inside the guarded segment")
    func suffixes() {
        for raw in ["/v1/users/1.json", "/v1/users/1.", "/v1/users/1..", "/v1/users/1%2E", "/v1/users/1.xml;x"] {
            #expect(Self.outcome(raw) == "block", "DELETE \(raw) routes to user 1 on Rails-style targets")
        }
    }

    @Test("paths beside the guarded one stay allowed")
    func neighbours() {
        for raw in ["/v1/users", "/v1/users/", "/v1/users/1/tokens", "/v1/userss/1", "/v2/users/1"] {
            #expect(Self.outcome(raw) == "allow", "DELETE \(raw)")
        }
    }

    @Test("a long path is parsed in linear time and bounded segment counts still judge")
    func longPaths() {
        let deep = "/" + Array(repeating: "a/..", count: 20_000).joined(separator: "/") + "/v1/users/1"
        #expect(Self.outcome(deep) == "block")
        let wide = "/v1/users/" + String(repeating: "1", count: 100_000)
        #expect(Self.outcome(wide) == "block")
        let manyEscapes = "/v1/users/" + String(repeating: "%31", count: 30_000)
        #expect(Self.outcome(manyEscapes) == "block")
    }
}
