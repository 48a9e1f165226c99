import HoopCore

/// `tcp` resources: any client, pointed at the local port; nothing to log in to and no command to run.
struct TCPResourceClient: ResourceClient {
    var type: ResourceType { .tcp }
    var exec: ExecStyle? { nil }

    func example(_ details: ConnectionDetails) -> String { "." }
}
