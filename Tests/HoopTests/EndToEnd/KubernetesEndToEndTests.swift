import Foundation
import HoopCore
import Testing

/// A `kubernetes` resource in front of the Kubernetes API stand-in of `testing/kube-apiserver` (a Python server
/// that speaks the wire formats kubectl v1.32 uses; no real kube-apiserver can run on the test machines), driven by
/// the real `kubectl` through the kubeconfig `hoopctl connect` writes: reads and applies pass, prod deletes and prod
/// secrets are refused as kubectl prints a Forbidden Status, a deployment delete waits for approval and runs once
/// approved, `kubectl exec` runs over WebSocket with its command judged by the shell judge and its output masked
/// and recorded, logs are masked, port-forward is refused on the masked resource, and the stand-in's own request
/// log shows the broker's token, never a refused request.
@Suite("End to end: kubernetes resources (kubectl against an API server stand-in)", .serialized)
struct KubernetesEndToEndTests {
    static let clusterToken = "cluster-held-token-91c4"

    static func resourceYAML(apiPort: Int) -> String {
        """
          - name: k8s
            type: kubernetes
            url: http://127.0.0.1:\(apiPort)
            credential: { bearer_env: KUBE_TOKEN }
            allow_groups: [agents, dba]
            guardrails:
              - name: no-prod-deletes
                match: { verb: [delete, deletecollection], namespace: [prod] }
                action: block
              - name: deployment-deletes
                match: { verb: [delete], resource: [deployments] }
                action: require_approval
                approvers: [dba]
              - name: no-recursive-deletes-in-pods
                match: { resource: [pods/exec], classes: [recursive_delete] }
                action: block
              - name: no-prod-secrets
                match: { verb: [get, list, watch], resource: [secrets], namespace: [prod] }
                action: block
            masking:
              detectors: [email, payment_card]
          - name: k8s-raw
            type: kubernetes
            url: http://127.0.0.1:\(apiPort)
            credential: { bearer_env: KUBE_TOKEN }
            allow_groups: [agents]
        """
    }

    @Test("kubectl get, apply, guarded deletes, an approved delete, exec, logs, port-forward, replay")
    func kubectl() async throws {
        try await Self.withStandin { apiPort in
            try await IdentityProvider.with { idp in
                let broker = try await BrokerProcess(
                    issuer: idp.issuer, resourcesYAML: Self.resourceYAML(apiPort: apiPort),
                    environment: ["KUBE_TOKEN": Self.clusterToken])
                defer { broker.remove() }
                try await broker.stoppingAfter {
                    try await idp.addClient("alice", secret: "alice-secret", groups: ["dba"], subject: "alice")
                    let agent = try await ClientCLI.loggedIn(broker)
                    let alice = try await ClientCLI.loggedIn(
                        broker, name: "alice", clientID: "alice", secret: "alice-secret")
                    let (connect, kubectl, session) = try await Self.connect(agent, "k8s")
                    defer { connect.signal(SIGTERM) }

                    let pods = try await kubectl.run(["get", "pods"])
                    #expect(pods.status == 0 && pods.stdout.contains("web-0"), "\(pods.stderr)")
                    try await Self.checkApply(kubectl)
                    try await Self.checkRefusals(kubectl, apiPort: apiPort)
                    try await Self.checkApprovedDelete(kubectl, alice: alice)
                    try await Self.checkExec(kubectl)
                    try await Self.checkLogs(kubectl)
                    let forward = try await kubectl.run(["port-forward", "pod/web-0", "0:8080"], timeout: .seconds(30))
                    #expect(forward.status != 0 && forward.stderr.contains("cannot mask"), "\(forward.stderr)")
                    try await Self.checkCredential(apiPort: apiPort)

                    let exec = try await agent.run(["exec", "k8s", "--", "GET", "/api/v1/namespaces/default/pods"])
                    #expect(exec.status == 0 && exec.stdout.contains("web-0"), "\(exec.stderr)")
                    connect.signal(SIGTERM)
                    _ = try await connect.waitForExit(timeout: .seconds(20))
                    // Without --no-timing the replay takes as long as the session did, which on a loaded machine
                    // outlasts the run's timeout; the content is what is checked.
                    let replay = try await agent.run(["replay", session, "--no-timing"])
                    #expect(replay.stdout.contains("/exec?"), "the exec is replayed: \(replay.stdout.prefix(400))")
                    #expect(replay.stdout.contains("hello from exec"), "with its output")
                    #expect(!replay.stdout.contains("alice@example.com"), "masked in the recording too")
                    #expect(
                        !FileManager.default.fileExists(atPath: kubectl.kubeconfig),
                        "the kubeconfig goes with the tunnel")
                    try await Self.checkStreams(agent, apiPort: apiPort)
                }
            }
        }
    }

    /// On an unmasked resource: port-forward (SPDY framing inside WebSocket messages, relayed and recorded),
    /// `logs -f` and `get -w` streaming through, and `exec -it` on a terminal.
    static func checkStreams(_ agent: ClientCLI, apiPort: Int) async throws {
        let (connect, kubectl, _) = try await Self.connect(agent, "k8s-raw")
        defer { connect.signal(SIGTERM) }

        let local = try TestEnvironment.freePort()
        let forward = try kubectl.spawn(["port-forward", "pod/web-0", "\(local):\(apiPort)"])
        defer { forward.signal(SIGTERM) }
        try await forward.waitForOutput("Forwarding from", timeout: .seconds(30))
        // The forwarded port is the stand-in's own (the pod "runs" on this host): its request log needs no token.
        let through = try await ChildProcess.run(
            "/usr/bin/curl", ["-sS", "--max-time", "10", "http://127.0.0.1:\(local)/_standin/requests"],
            timeout: .seconds(20))
        #expect(through.stdout.contains("\"method\""), "port-forward carries bytes: \(through.stdout)\(through.stderr)")
        forward.signal(SIGTERM)

        let follow = try kubectl.spawn(["logs", "-f", "web-0"])
        defer { follow.signal(SIGTERM) }
        _ = try await follow.waitForOutput("#12 ", timeout: .seconds(30))
        #expect(follow.stdout.contains("login ok"), "logs -f streams as lines arrive")

        let watch = try kubectl.spawn(["get", "pods", "-w"])
        defer { watch.signal(SIGTERM) }
        _ = try await watch.waitForOutput("worker-0", timeout: .seconds(30))
        try await Task.sleep(for: .seconds(1))
        let label = try await kubectl.run(["label", "pod", "web-0", "watched=yes"])
        #expect(label.status == 0, "\(label.stderr)")
        var seen = 0
        for _ in 0..<50 {
            seen = watch.stdout.components(separatedBy: "web-0").count - 1
            if seen >= 2 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(seen >= 2, "the watch streamed the change: \(watch.stdout)")

        let terminal = try await ChildProcess.run(
            "/usr/bin/script",
            // The pause lets kubectl set up its streams: client-go drops output that arrives before (it logs "Unknown
            // stream id 1"), and a command that prints at once can beat it on a loaded machine.
            [
                "-qec", "/usr/bin/kubectl exec -it web-0 -- sh -c 'sleep 1; test -t 0 && echo on-a-tty; exit 4'",
                "/dev/null",
            ],
            environment: kubectl.environment, timeout: .seconds(60))
        #expect(terminal.stdout.contains("on-a-tty") && terminal.status == 4, "\(terminal)")
    }

    static func checkApply(_ kubectl: Kubectl) async throws {
        let manifest = try TestEnvironment.scratchDirectory("k8s-manifest").appendingPathComponent("cm.yaml")
        try """
        apiVersion: v1
        kind: ConfigMap
        metadata: { name: through-broker, namespace: default }
        data: { greeting: hello }
        """.write(to: manifest, atomically: true, encoding: .utf8)
        let created = try await kubectl.run(["apply", "-f", manifest.path])
        #expect(created.status == 0 && created.stdout.contains("created"), "\(created.stdout)\(created.stderr)")
        let again = try await kubectl.run(["apply", "-f", manifest.path])
        #expect(again.status == 0 && again.stdout.contains("unchanged"), "\(again.stdout)\(again.stderr)")
    }

    static func checkRefusals(_ kubectl: Kubectl, apiPort: Int) async throws {
        let delete = try await kubectl.run(["delete", "pod", "api-0", "-n", "prod"])
        #expect(delete.status != 0, "a prod delete is refused")
        #expect(delete.stderr.contains("Forbidden") && delete.stderr.contains("no-prod-deletes"), "\(delete.stderr)")
        let secrets = try await kubectl.run(["get", "secrets", "-n", "prod"])
        #expect(secrets.status != 0 && secrets.stderr.contains("no-prod-secrets"), "\(secrets.stderr)")
        let spelled = try await kubectl.run(["get", "--raw", "/api/v1/namespaces/prod/./secrets/"])
        #expect(spelled.status != 0, "a respelled path is judged the same: \(spelled.stdout)")
        let still = try await kubectl.run(["get", "pod", "api-0", "-n", "prod"])
        #expect(still.status == 0, "the pod was not deleted: \(still.stderr)")
        let requests = try await Self.standinRequests(apiPort)
        #expect(!requests.contains { $0.hasPrefix("DELETE /api/v1/namespaces/prod") }, "\(requests)")
        #expect(!requests.contains { $0.contains("/namespaces/prod/secrets") }, "\(requests)")
    }

    static func checkApprovedDelete(_ kubectl: Kubectl, alice: ClientCLI) async throws {
        async let held = kubectl.run(["delete", "deployment", "web"], timeout: .seconds(90))
        var pending: String?
        for _ in 0..<150 where pending == nil {
            let listed = try await alice.run(["approvals", "list", "--output", "json"])
            if let found = listed.stdout.firstMatch(of: /"id":(\d+)[^}]*delete deployments web/) {
                pending = String(found.1)
            } else {
                try await Task.sleep(for: .milliseconds(200))
            }
        }
        let request = try #require(pending, "the delete waits for approval")
        #expect(try await alice.run(["approvals", "approve", request]).status == 0)
        let ran = try await held
        #expect(ran.status == 0 && ran.stdout.contains("deleted"), "\(ran.stdout)\(ran.stderr)")
        let gone = try await kubectl.run(["get", "deployment", "web"])
        #expect(gone.status != 0 && gone.stderr.contains("NotFound"), "\(gone.stderr)")
    }

    static func checkExec(_ kubectl: Kubectl) async throws {
        let echo = try await kubectl.run(["exec", "web-0", "--", "sh", "-c", "echo hello from exec; exit 3"])
        #expect(echo.stdout.contains("hello from exec") && echo.status == 3, "\(echo.status) \(echo.stderr)")
        let masked = try await kubectl.run(
            ["exec", "-i", "web-0", "--", "cat"], input: "mail alice@example.com card 4111111111111111\n")
        #expect(masked.status == 0, "\(masked.stderr)")
        #expect(!masked.stdout.contains("alice@example.com") && masked.stdout.contains("mail"), "\(masked.stdout)")
        let wrapped = try await kubectl.run(["exec", "web-0", "--", "sh", "-c", "rm -rf /tmp/nothing-here"])
        #expect(wrapped.status != 0 && wrapped.stderr.contains("no-recursive-deletes"), "\(wrapped.stderr)")
    }

    static func checkLogs(_ kubectl: Kubectl) async throws {
        let logs = try await kubectl.run(["logs", "web-0", "--tail=8"])
        #expect(logs.status == 0 && logs.stdout.contains("login ok"), "\(logs.stderr)")
        #expect(!logs.stdout.contains("@example.com") && !logs.stdout.contains("4111 1111"), "\(logs.stdout)")
    }

    /// Every request that reached the stand-in carried the broker's token, once.
    static func checkCredential(apiPort: Int) async throws {
        let raw = try await ChildProcess.run(
            "/usr/bin/curl", ["-sS", "http://127.0.0.1:\(apiPort)/_standin/requests"], timeout: .seconds(20))
        let entries = try JSONSerialization.jsonObject(with: Data(raw.stdout.utf8)) as? [[String: Any]] ?? []
        #expect(!entries.isEmpty)
        #expect(
            entries.allSatisfy { $0["authorization"] as? String == "Bearer \(clusterToken)" }, "\(entries.prefix(2))")
    }

    // MARK: Peers

    struct Kubectl {
        var kubeconfig: String

        var environment: [String: String] {
            ["KUBECONFIG": kubeconfig, "HOME": FileManager.default.temporaryDirectory.path, "PATH": "/usr/bin:/bin"]
        }

        func spawn(_ arguments: [String]) throws -> ChildProcess {
            try ChildProcess(
                "kubectl \(arguments.first ?? "")", executable: "/usr/bin/kubectl", arguments: arguments,
                environment: environment)
        }

        func run(_ arguments: [String], input: String? = nil, timeout: Duration = .seconds(60)) async throws
            -> (status: Int32, stdout: String, stderr: String)
        {
            guard let input else {
                return try await ChildProcess.run(
                    "/usr/bin/kubectl", arguments, environment: environment, timeout: timeout)
            }
            let script = "printf '%s' \"$KUBECTL_INPUT\" | /usr/bin/kubectl \"$@\""
            return try await ChildProcess.run(
                "/bin/sh", ["-c", script, "kubectl"] + arguments,
                environment: environment.merging(["KUBECTL_INPUT": input]) { $1 }, timeout: timeout)
        }
    }

    static func withStandin(_ body: (Int) async throws -> Void) async throws {
        let (standin, port) = try await ReadyPeer.start(
            "kube stand-in", script: "testing/kube-apiserver/standin.py",
            ["--token", clusterToken, "--log-interval", "0.05"])
        defer { standin.signal(SIGTERM) }
        try await body(port)
    }

    /// `hoopctl connect RESOURCE` and kubectl pointed at the kubeconfig it wrote; also the session's id.
    static func connect(_ agent: ClientCLI, _ resource: String) async throws -> (ChildProcess, Kubectl, String) {
        let connect = try agent.spawn(["connect", resource, "--port", "0", "--output", "json"])
        try await connect.waitForOutput("\"port\"", timeout: .seconds(30))
        let line = connect.stdout.split(separator: "\n").first { $0.contains("\"port\"") } ?? ""
        let details = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
        let kubeconfig = (details["env"] as? [String: String])?["KUBECONFIG"] ?? ""
        #expect(FileManager.default.fileExists(atPath: kubeconfig), "connect wrote a kubeconfig: \(line)")
        return (connect, Kubectl(kubeconfig: kubeconfig), details["session"] as? String ?? "")
    }

    static func standinRequests(_ port: Int) async throws -> [String] {
        let raw = try await ChildProcess.run(
            "/usr/bin/curl", ["-sS", "http://127.0.0.1:\(port)/_standin/requests"], timeout: .seconds(20))
        let entries = try JSONSerialization.jsonObject(with: Data(raw.stdout.utf8)) as? [[String: Any]] ?? []
        return entries.map { "\($0["method"] ?? "") \($0["path"] ?? "")" }
    }
}
