import AsyncHTTPClient
import Foundation
import HoopCore
import NIOCore
import NIOSSL

/// Sends a tunnel upgrade request by hand, to see how the broker answers grants `hoopctl` would never send.
enum TunnelProbe {
    static func upgrade(broker: BrokerProcess, grant: String) async throws -> (status: UInt, body: String) {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .file(broker.caFile.path)
        let client = HTTPClient(configuration: .init(tlsConfiguration: tls))
        var request = HTTPClientRequest(url: broker.url + APIPath.tunnel)
        request.headers.add(name: "Connection", value: "Upgrade")
        request.headers.add(name: "Upgrade", value: TunnelProtocol.upgradeToken)
        request.headers.add(name: "Authorization", value: "Bearer \(grant)")
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            let body = try await response.body.collect(upTo: 1 << 16)
            try await client.shutdown()
            return (response.status.code, String(buffer: body))
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
