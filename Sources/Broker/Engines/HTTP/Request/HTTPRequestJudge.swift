/// Judges HTTP requests by the resource's guardrails. A rule matches when every key it gives holds (method, path
/// template, query and body conditions); deny wins: the strictest verdict of every matching rule.
struct HTTPRequestJudge: Sendable {
    let rules: [GuardrailRule]
    /// The target treats `/Users` and `/users` alike, so templates must too.
    let caseInsensitivePaths: Bool

    func judge(_ request: HTTPRequestFacts) -> GuardrailJudgement {
        var verdict = GuardrailJudgement.allow
        for rule in rules where rule.matches(request, caseInsensitivePaths: caseInsensitivePaths) {
            var reason = request.summary
            if case .unreadable(let why) = request.body, !rule.match.body.isEmpty {
                reason += " (\(why) cannot be judged with certainty)"
            }
            verdict = .stricter(verdict, rule.judgement(reason))
        }
        return verdict
    }
}

extension GuardrailRule {
    /// Whether this rule's method, path, query and body conditions all hold for `request`.
    func matches(_ request: HTTPRequestFacts, caseInsensitivePaths: Bool) -> Bool {
        if !match.methods.isEmpty {
            let named = request.methods.contains { method in
                match.methods.contains(method) || (method == "HEAD" && match.methods.contains("GET"))
            }
            guard named else { return false }
        }
        if !match.paths.isEmpty {
            let matched = request.pathReadings.contains { path in
                match.paths.contains { $0.matches(path, caseInsensitive: caseInsensitivePaths) }
            }
            guard matched else { return false }
        }
        guard match.query.allSatisfy({ HTTPRequestBody.holds($0, in: request.query) }) else { return false }
        return match.body.isEmpty || request.body.satisfies(match.body)
    }
}
