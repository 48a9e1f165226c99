/// What kind of API an `http`-engine resource fronts: any HTTP API, or a Kubernetes API server, whose requests the
/// broker reads as Kubernetes does (verbs, resources, exec commands) and whose clients expect refusals as
/// `Status` objects.
enum HTTPFlavor: Sendable, Equatable {
    case plain
    case kubernetes
}
