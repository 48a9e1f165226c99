import Foundation
import FuzzSupport

@testable import Broker

/// One libFuzzer input: `broker.yaml` text (invalid UTF-8 becomes U+FFFD, as reading the file would refuse it),
/// loaded without secrets, relative to a directory that does not exist. Checked: the loader returns a config or
/// throws `ConfigError` (typed), and a config it returns holds what the broker then relies on without checking:
/// unique resource, identity issuer and SAML provider names, and a listen address that reads back the same.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzConfig(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    var input = FuzzInput(data, size)
    let yaml = input.restText()
    let base = URL(fileURLWithPath: "/nonexistent/hoop-fuzz")
    guard let config = try? ConfigLoader.parse(yaml: yaml, relativeTo: base, checkSecrets: false) else { return 0 }
    requireUnique(config.resources.map(\.name), "resource names")
    requireUnique(config.identity.map(\.issuer), "identity issuers")
    requireUnique(config.saml.map(\.name), "SAML provider names")
    let listen = try? ConfigLoader.hostPort(config.listen.description, path: "listen")
    require(listen == config.listen, "listen \(config.listen) reads back as \(String(describing: listen))")
    return 0
}

func requireUnique(_ names: [String], _ what: String) {
    require(Set(names).count == names.count, "a loaded config repeats \(what): \(names)")
}
