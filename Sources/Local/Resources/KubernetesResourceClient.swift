import HoopCore

/// `kubernetes` resources: kubectl, client-go and the Python `kubernetes` client, pointed at the local port by a
/// kubeconfig written for the session (removed when the tunnel closes). The broker holds the cluster's credential
/// and CA, so the kubeconfig carries none; the local port is plain HTTP on loopback and, like every forwarded port,
/// serves only this user's processes. `exec` sends one API request (`GET /api/v1/namespaces/default/pods`).
struct KubernetesResourceClient: ResourceClient {
    var type: ResourceType { .kubernetes }
    var exec: ExecStyle? { .command(HTTPExec.Runner()) }

    func complete(_ details: inout ConnectionDetails, granted: SessionGrantResponse) throws(LocalError) {
        let file = try SessionFiles.path("kubeconfig", session: granted.session.id)
        try SessionFiles.write(
            Self.kubeconfig(resource: details.resource, server: "http://\(details.host):\(details.port)"), to: file)
        details.uri = "http://\(details.host):\(details.port)"
        details.environment = ["KUBECONFIG": file]
        details.command = "kubectl --kubeconfig \(file) get pods"
    }

    func cleanUp(session: String) {
        SessionFiles.remove(session: session)
    }

    func example(_ details: ConnectionDetails) -> String {
        guard let file = details.environment?["KUBECONFIG"] else { return "." }
        return ", e.g.\n  export KUBECONFIG=\(file)\n  kubectl get pods"
    }

    /// A kubeconfig with one cluster, context and (credential-less) user, all named for the resource.
    static func kubeconfig(resource: String, server: String) -> String {
        let name = "\"\(resource)\""
        return """
            apiVersion: v1
            kind: Config
            clusters:
            - name: \(name)
              cluster:
                server: \(server)
            users:
            - name: \(name)
              user: {}
            contexts:
            - name: \(name)
              context:
                cluster: \(name)
                user: \(name)
            current-context: \(name)

            """
    }
}
