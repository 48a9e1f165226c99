import HoopCore

/// `http` resources: curl, HTTP libraries and SDKs pointed at the local port, which speaks plain HTTP/1.1 on
/// loopback; the broker holds the target's credential, so clients send none. `exec` sends one request.
struct HTTPResourceClient: ResourceClient {
    var type: ResourceType { .http }
    var exec: ExecStyle? { .command(HTTPExec.Runner()) }

    func example(_ details: ConnectionDetails) -> String {
        ", e.g. curl http://\(details.host):\(details.port)/ (the broker adds the credential)"
    }
}
