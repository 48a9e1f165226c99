/// Judges HTTP requests by the resource's guardrails. A rule matches when every key it gives holds (method, path
/// template, query and body conditions, and on a Kubernetes resource verb, resource and namespace); deny wins: the
/// strictest verdict of every matching rule. A Kubernetes rule with `command` or `classes` judges the command of an
/// exec or attach with the same shell judge as SSH exec, so `kubectl exec pod -- sh -c 'rm -rf /'` is the `rm` it
/// runs.
struct HTTPRequestJudge: Sendable {
    let rules: [GuardrailRule]
    /// The target treats `/Users` and `/users` alike, so templates must too.
    let caseInsensitivePaths: Bool
    var flavor: HTTPFlavor = .plain

    /// How a Kubernetes resource's authorizer reads `request`; nil on a plain HTTP resource.
    func kubernetes(_ request: HTTPRequestFacts) -> KubernetesRequestAttributes? {
        flavor == .kubernetes ? KubernetesRequestAttributes(request) : nil
    }

    func judge(_ request: HTTPRequestFacts) -> GuardrailJudgement {
        judge(request, kubernetes: kubernetes(request))
    }

    /// Judges `request` with its Kubernetes reading already made (`kubernetes(_:)`), so a caller that needs it too
    /// reads the path once.
    func judge(_ request: HTTPRequestFacts, kubernetes: KubernetesRequestAttributes?) -> GuardrailJudgement {
        let summary = kubernetes.map { "\($0.summary) (\(request.summary))" } ?? request.summary
        var verdict = GuardrailJudgement.allow
        for rule in rules where rule.matches(request, caseInsensitivePaths: caseInsensitivePaths) {
            if rule.match.readsKubernetes {
                guard let kubernetes, rule.matches(kubernetes) else { continue }
            }
            if rule.match.readsCommands {
                // A command rule speaks only to requests that run one.
                guard let line = kubernetes?.commandLine else { continue }
                verdict = .stricter(verdict, CommandJudge(rules: [rule]).judge(line))
                continue
            }
            var reason = summary
            if case .unreadable(let why) = request.body, !rule.match.body.isEmpty {
                reason += " (\(why) cannot be judged with certainty)"
            }
            verdict = .stricter(verdict, rule.judgement(reason))
        }
        return verdict
    }
}

extension GuardrailRule {
    /// Whether this rule's verbs, resources and namespaces all hold for a Kubernetes request. A resource glob
    /// matches `pods` or `pods/exec`, and `deployments.apps` names a group too; a namespace glob never matches a
    /// cluster-scoped request.
    func matches(_ request: KubernetesRequestAttributes) -> Bool {
        if !match.verbs.isEmpty, !match.verbs.contains(request.verb.rawValue) { return false }
        if !match.resources.isEmpty {
            guard let resource = request.fullResource else { return false }
            let grouped = request.group.map { group in group.isEmpty ? resource : "\(resource).\(group)" }
            let named = match.resources.contains { pattern in
                NamePattern.glob(pattern, resource) || grouped.map { NamePattern.glob(pattern, $0) } == true
            }
            guard named else { return false }
        }
        if !match.namespaces.isEmpty {
            guard !request.namespace.isEmpty,
                match.namespaces.contains(where: { NamePattern.glob($0, request.namespace) })
            else { return false }
        }
        return true
    }

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
