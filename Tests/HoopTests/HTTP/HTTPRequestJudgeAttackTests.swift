import Foundation
import Testing

@testable import Broker

/// Requests a hostile agent shapes so that the judge reads one request and the target runs another: another
/// method than the request line's, a body field the judge reads differently from the framework behind the target,
/// a query parameter spelled so only one side decodes it. Each must meet the rule the target's reading meets.
@Suite("HTTP request judge: method, query and body attacks")
struct HTTPRequestJudgeAttackTests {
    static func template(_ text: String) -> PathTemplate {
        guard let template = try? PathTemplate(text) else { preconditionFailure("\(text) is a template") }
        return template
    }

    static let judge = HTTPRequestJudge(
        rules: [
            GuardrailRule(
                name: "no-user-deletes",
                match: GuardrailMatch(methods: ["DELETE"], paths: [template("/v1/users/{id}")]), action: .block),
            GuardrailRule(
                name: "root-renames",
                match: GuardrailMatch(
                    methods: ["PUT", "PATCH", "POST"], paths: [template("/v1/users/**")],
                    body: [ToolArgumentCondition(path: "name", pattern: "root*")]),
                action: .block),
            GuardrailRule(
                name: "admin-role",
                match: GuardrailMatch(body: [ToolArgumentCondition(path: "role.level", pattern: "1")]), action: .block),
            GuardrailRule(
                name: "no-export",
                match: GuardrailMatch(
                    methods: ["GET"], paths: [template("/v1/export")],
                    query: [ToolArgumentCondition(path: "format", pattern: "csv", dotted: false)]),
                action: .block),
            GuardrailRule(
                name: "no-plus",
                match: GuardrailMatch(query: [ToolArgumentCondition(path: "q", pattern: "a+b", dotted: false)]),
                action: .block),
        ],
        caseInsensitivePaths: false)

    static func verdict(
        _ method: String, _ raw: String, body: String = "", contentType: String? = nil
    ) -> GuardrailJudgement? {
        guard let target = try? HTTPRequestTarget(parsing: raw) else { return nil }
        let facts = HTTPRequestFacts(
            method: method, target: target, body: HTTPRequestBody(Array(body.utf8), contentType: contentType))
        return judge.judge(facts)
    }

    static func blockedBy(
        _ method: String, _ raw: String, body: String = "", contentType: String? = nil
    ) -> String? {
        guard case .block(let rule, _)? = verdict(method, raw, body: body, contentType: contentType) else { return nil }
        return rule
    }

    // MARK: Methods

    @Test("the method is judged whatever its case")
    func methodCase() {
        for method in ["DELETE", "delete", "DeLeTe", "dELETE"] {
            #expect(Self.blockedBy(method, "/v1/users/1") == "no-user-deletes", "\(method)")
        }
    }

    @Test("a rule on GET covers HEAD; a rule on DELETE does not cover GET or OPTIONS")
    func headIsGet() {
        #expect(Self.blockedBy("HEAD", "/v1/export?format=csv") == "no-export")
        #expect(Self.blockedBy("head", "/v1/export?format=csv") == "no-export")
        #expect(Self.blockedBy("GET", "/v1/users/1") == nil)
        #expect(Self.blockedBy("OPTIONS", "/v1/users/1") == nil)
    }

    static let overrides: [(method: String, raw: String, body: String, type: String?)] = [
        ("POST", "/v1/users/1?_method=DELETE", "", nil),
        ("POST", "/v1/users/1?_method=delete", "", nil),
        ("POST", "/v1/users/1?_method=DeLeTe", "", nil),
        ("POST", "/v1/users/1?%5Fmethod=DELETE", "", nil),
        ("POST", "/v1/users/1?_method=%44ELETE", "", nil),
        ("POST", "/v1/users/1?x=1;_method=DELETE", "", nil),
        ("POST", "/v1/users/1?_method=PUT&_method=DELETE", "", nil),
        ("GET", "/v1/users/1?_method=DELETE", "", nil),
        ("POST", "/v1/users/1", "_method=DELETE", "application/x-www-form-urlencoded"),
        ("POST", "/v1/users/1", "_method=delete", "application/x-www-form-urlencoded; charset=utf-8"),
        ("POST", "/v1/users/1", "a=1&_method=PUT&_method=DELETE", "application/x-www-form-urlencoded"),
        ("POST", "/v1/users/1", "%5Fmethod=DELETE", "Application/X-WWW-Form-Urlencoded"),
        ("POST", "/v1/users/1", #"{"_method": "DELETE"}"#, "application/json"),
        ("POST", "/v1/users/1", #"{"\u005fmethod": "DELETE"}"#, "application/json"),
        ("POST", "/v1/users/1", #"{"_method": "\u0044ELETE"}"#, "application/vnd.api+json"),
        ("POST", "/v1/users/1", #"{"_method": ["DELETE"]}"#, "application/json"),
    ]

    @Test("_method in the query, a form body or a JSON body is judged as the method it names")
    func methodOverrides() {
        for attempt in Self.overrides {
            #expect(
                Self.blockedBy(attempt.method, attempt.raw, body: attempt.body, contentType: attempt.type)
                    == "no-user-deletes", "\(attempt)")
        }
    }

    @Test("the summary names the request line's method; the override still decides")
    func overrideSummary() throws {
        let facts = HTTPRequestFacts(
            method: "post", target: try HTTPRequestTarget(parsing: "/v1/users/1?_method=delete"), body: .empty)
        #expect(facts.methods == ["POST", "DELETE"])
        #expect(facts.summary == "POST /v1/users/1?_method=delete")
    }

    // MARK: JSON bodies

    static let renames: [(body: String, type: String)] = [
        (#"{"name": "root"}"#, "application/json"),
        (#"{"name": "ROOT-1"}"#, "application/json"),
        (#"{"name": "\u0072oot"}"#, "application/json"),
        (#"{"n\u0061me": "root"}"#, "application/json"),
        (#"{"name": "\uFF52\uFF4F\uFF4F\uFF54"}"#, "application/json"),
        (#"{"name": "r\u200Boot"}"#, "application/json"),
        (#"{"name": " root"}"#, "application/json"),
        (#"{"name": ["x", "root"]}"#, "application/json"),
        (#"[{"name": "x"}, {"name": "root"}]"#, "application/json"),
        (#"{"name": "root", "email": "r@example.com"}"#, "application/json; charset=utf-8"),
        (#"{"name": "root"}"#, "APPLICATION/JSON"),
        (#"{"name": "root"}"#, "application/merge-patch+json"),
        (#"{"name": "root"}"#, " application/json ; charset=\"utf-8\""),
        // Duplicate keys: parsers disagree on which copy wins, so the body cannot be judged with certainty.
        (#"{"name": "x", "name": "root"}"#, "application/json"),
        (#"{"name": "root", "name": "x"}"#, "application/json"),
        (#"{"name": "x", "n\u0061me": "root"}"#, "application/json"),
        // Not JSON, or JSON another party would read differently: unreadable, so the condition is taken to hold.
        (#"{"name": "x"} {"name": "root"}"#, "application/json"),
        (#"{"name": "x",}"#, "application/json"),
        (#"{name: "root"}"#, "application/json"),
        ("\u{FEFF}{\"name\": \"root\"}", "application/json"),
        (#"{"name": "root"}"#, "text/plain"),
        (#"{"name": "root"}"#, "application/octet-stream"),
        (#"{"name": "root"}"#, "application/jsonx"),
        (#"{"name": "root"}"#, "text/json"),
        (#"{"name": "root"}"#, "application/x-json"),
        (#"{"name": "root"}"#, "application/json, text/plain"),
    ]

    @Test("a rename to root is caught however the body spells it", arguments: renames.indices)
    func rename(_ index: Int) {
        let attempt = Self.renames[index]
        #expect(
            Self.blockedBy("PUT", "/v1/users/2", body: attempt.body, contentType: attempt.type) == "root-renames",
            "\(attempt)")
    }

    @Test("a body with no Content-Type, or a charset other than UTF-8, cannot be read and is taken to match")
    func charsetTricks() {
        #expect(Self.blockedBy("PUT", "/v1/users/2", body: #"{"name": "root"}"#) == "root-renames")
        #expect(
            Self.blockedBy(
                "PUT", "/v1/users/2", body: #"{"name": "x"}"#, contentType: "application/json; charset=utf-16")
                == "root-renames", "a JSON body in another charset is not read as UTF-8")
        let utf16 = String(decoding: Array(#"{"name":"x"}"#.utf16).flatMap { [UInt8($0 & 0xFF), 0] }, as: UTF8.self)
        #expect(
            Self.blockedBy("PUT", "/v1/users/2", body: utf16, contentType: "application/json; charset=utf-16le")
                == "root-renames")
    }

    @Test("numbers however spelled meet a condition on their integer value")
    func numbers() {
        for level in ["1", "1.0", "1e0", "10e-1", "0.1e1", "1.00", "\"1\"", "\"01\"", "\" 1 \"", "[2, 1]", "[[1]]"] {
            #expect(
                Self.blockedBy(
                    "POST", "/v1/roles", body: #"{"role": {"level": \#(level)}}"#, contentType: "application/json")
                    == "admin-role", "level \(level)")
        }
        #expect(
            Self.blockedBy(
                "POST", "/v1/roles", body: #"{"role": [{"level": 2}, {"level": 1}]}"#,
                contentType: "application/json") == "admin-role", "an array of objects is read element by element")
        #expect(
            Self.blockedBy("POST", "/v1/roles", body: #"{"role": {"level": 2}}"#, contentType: "application/json")
                == nil, "another value is allowed")
    }

    @Test("nested arrays at the top level are read element by element")
    func nestedArrays() {
        #expect(
            Self.blockedBy("POST", "/v1/users/bulk", body: #"[[{"name": "root"}]]"#, contentType: "application/json")
                == "root-renames")
    }

    @Test("JSON keys are matched as case-insensitive binders read them")
    func keyCase() {
        for body in [#"{"Name": "root"}"#, #"{"NAME": "root"}"#, #"{"name": "x", "Name": "root"}"#] {
            #expect(
                Self.blockedBy("PUT", "/v1/users/2", body: body, contentType: "application/json") == "root-renames",
                "\(body)")
        }
    }

    // MARK: Form bodies

    @Test("form bodies: repeated fields, encodings and separators are all read")
    func forms() {
        let form = "application/x-www-form-urlencoded"
        for body in [
            "name=root", "name=x&name=root", "name=root&name=x", "n%61me=root", "name=%72oot", "name=r%C3%B6ot",
            "name=+root", "a=1&&name=root&", "name=root;x=1", "x=1;name=root", "name=ro%00ot",
        ] {
            #expect(Self.blockedBy("PUT", "/v1/users/2", body: body, contentType: form) == "root-renames", "\(body)")
        }
        #expect(Self.blockedBy("PUT", "/v1/users/2", body: "name=alice", contentType: form) == nil)
        #expect(
            Self.blockedBy("PUT", "/v1/users/2", body: "name=%FF", contentType: form) == nil,
            "an undecodable value is judged by its raw text")
        #expect(
            Self.blockedBy("PUT", "/v1/users/2", body: "name=r%F6ot", contentType: form + "; charset=iso-8859-1")
                == "root-renames", "a Latin-1 value is read as servlet containers read it")
        #expect(
            Self.blockedBy("PUT", "/v1/users/2", body: "name=r%F6ot", contentType: form) == "root-renames",
            "and so is one that does not say its charset")
    }

    @Test("multipart and other bodies cannot be read, so a body condition is taken to hold")
    func opaqueBodies() {
        let multipart = "--b\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\nroot\r\n--b--\r\n"
        #expect(
            Self.blockedBy("PUT", "/v1/users/2", body: multipart, contentType: "multipart/form-data; boundary=b")
                == "root-renames")
        #expect(
            Self.blockedBy("PUT", "/v1/users/2", body: "<name>root</name>", contentType: "application/xml")
                == "root-renames")
    }

    // MARK: Query

    static let exports: [String] = [
        "/v1/export?format=csv", "/v1/export?format=CSV", "/v1/export?format=%63sv", "/v1/export?%66ormat=csv",
        "/v1/export?x=1&format=csv", "/v1/export?format=json&format=csv", "/v1/export?format=csv&format=json",
        "/v1/export?x=1;format=csv", "/v1/export?format=csv;x=1", "/v1/export?format=+csv+",
        "/v1/export?format=%20csv", "/v1/export?format=cs%E2%80%8Bv", "/v1/export?format=%EF%BD%83sv",
        "/v1/export?&&format=csv&", "/v1/export/?format=csv", "/v1/./export?format=csv", "/v1/export?Format=csv",
        "/v1/export?FORMAT=csv",
    ]

    @Test("a query condition holds however the parameter is spelled", arguments: exports)
    func queryExport(_ raw: String) {
        #expect(Self.blockedBy("GET", raw) == "no-export", "GET \(raw)")
    }

    @Test("a value with ; is read both split and whole, as frameworks differ")
    func semicolonBothWays() {
        let rules = [
            GuardrailRule(
                name: "admins",
                match: GuardrailMatch(query: [ToolArgumentCondition(path: "role", pattern: "*admin*", dotted: false)]),
                action: .block)
        ]
        let judge = HTTPRequestJudge(rules: rules, caseInsensitivePaths: false)
        for raw in ["/v1/x?role=user;admin", "/v1/x?role=user;x=admin", "/v1/x?a=1;role=admin", "/v1/x?role=user;x=1"] {
            guard let target = try? HTTPRequestTarget(parsing: raw) else {
                Issue.record("\(raw) parses")
                continue
            }
            let verdict = judge.judge(HTTPRequestFacts(method: "GET", target: target, body: .empty))
            if raw == "/v1/x?role=user;x=1" {
                #expect(verdict == .allow, "neither reading names an admin")
            } else {
                #expect(verdict.label == "block", "GET \(raw)")
            }
        }
    }

    @Test("a literal + in the query is read both as a space and as itself")
    func plusBothWays() {
        #expect(Self.blockedBy("GET", "/v1/search?q=a+b") == "no-plus", "a target that keeps + sees a+b")
        #expect(Self.blockedBy("GET", "/v1/search?q=a%2Bb") == "no-plus")
        #expect(Self.blockedBy("GET", "/v1/search?q=a%20b") == nil, "a space is not a plus to anyone")
    }
}
