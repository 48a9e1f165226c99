/// The verbs Kubernetes authorizes requests by, as RBAC rules name them.
package enum KubernetesVerb: String, Sendable, CaseIterable {
    case get, list, watch, create, update, patch, delete, deletecollection
}
