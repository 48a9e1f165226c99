import Foundation
import HoopCore
import NIOSSL

/// `type: http`: an HTTP API behind the broker, which terminates HTTP/1.1 from local clients and forwards each
/// request it allows to `url` with the held `credential`. It reads every request and response, so guardrails judge
/// method, path, query and body, and masking reads bodies (JSON by field and detectors, other text by detectors).
/// `type: kubernetes` is the same engine reading requests as a Kubernetes API server does.
struct HTTPEngineDescriptor: EngineDescriptor {
    static let defaultMaxRequestBody = 8 << 20
    static let defaultRecordBytes = 64 << 10

    let flavor: HTTPFlavor

    var type: ResourceType { flavor == .kubernetes ? .kubernetes : .http }
    /// `columns` rules name JSON keys (`*.email`, `address.street`).
    var capabilities: EngineCapabilities { [.masking, .columnMasking] }
    var guardrails: GuardrailSubject? { flavor == .kubernetes ? .kubernetes : .requests }

    /// `url: http(s)://host[:port][/base]`, `credential:` one of `{bearer_env|bearer_file}`, `{basic: {user,
    /// password_env|password_file}}`, `{header: {name, value_env|value_file}}`, `{client_certificate: {cert_file,
    /// key_file}}`; `tls: verify-full | require` and `ca_file` for https; `case_insensitive_paths`,
    /// `max_request_body`, `record_bytes`.
    func parseTarget(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> any ResourceTarget {
        let url = try Self.url(try node.requiredString("url"), path: "\(node.path).url")
        let credential = try credential(&node, context)
        let secure = url.scheme == "https"
        var tls: TLSConfiguration?
        let modeText = try node.string("tls")
        let caFile = try node.string("ca_file").map { ConfigLoader.resolve($0, against: context.base) }
        if secure {
            // An https target is verified unless the resource says `require` (encrypted, not verified).
            guard let mode = TargetTLSMode(rawValue: modeText ?? TargetTLSMode.verifyFull.rawValue),
                mode == .verifyFull || mode == .require
            else {
                throw ConfigError(path: "\(node.path).tls", message: "an https target takes verify-full or require")
            }
            var configuration = TLSConfiguration.makeClientConfiguration()
            if mode == .verifyFull {
                if let caFile { configuration.trustRoots = .file(caFile.path) }
            } else {
                configuration.certificateVerification = .none
            }
            if case .clientCertificate(let certificate, let key) = credential {
                do {
                    configuration.certificateChain = try NIOSSLCertificate.fromPEMFile(certificate.path).map {
                        .certificate($0)
                    }
                    configuration.privateKey = .privateKey(try NIOSSLPrivateKey(file: key.path, format: .pem))
                } catch {
                    throw ConfigError(
                        path: "\(node.path).credential.client_certificate",
                        message: "cannot read the certificate or key: \(error)")
                }
            }
            tls = configuration
        } else if modeText != nil || caFile != nil {
            throw ConfigError(path: "\(node.path).tls", message: "tls and ca_file need an https url")
        } else if case .clientCertificate = credential {
            throw ConfigError(path: "\(node.path).credential", message: "a client certificate needs an https url")
        }
        var basePath = url.path
        while basePath.hasSuffix("/") { basePath.removeLast() }
        let port = url.port.map { ":\($0)" } ?? ""
        return HTTPTarget(
            flavor: flavor,
            origin: "\(url.scheme ?? "http")://\(url.host ?? "")\(port)",
            host: url.host ?? "",
            port: url.port ?? (secure ? 443 : 80),
            basePath: basePath,
            credential: credential,
            tls: tls,
            caseInsensitivePaths: try node.flag("case_insensitive_paths") ?? false,
            maxRequestBody: try node.count("max_request_body") ?? Self.defaultMaxRequestBody,
            recordBytes: try node.count("record_bytes") ?? Self.defaultRecordBytes
        )
    }

    func address(_ node: inout ConfigNode) throws(ConfigError) -> HostPort {
        let url = try Self.url(try node.requiredString("url"), path: "\(node.path).url")
        return HostPort(host: url.host ?? "", port: url.port ?? (url.scheme == "https" ? 443 : 80))
    }

    func makeEngine(_ environment: EngineEnvironment) throws -> any ProtocolEngine {
        HTTPEngine(logger: environment.logger, maskers: environment.maskers)
    }

    private func credential(_ node: inout ConfigNode, _ context: TargetParsing) throws(ConfigError) -> HTTPCredential? {
        guard var block = try node.mapping("credential") else { return nil }
        var found: [HTTPCredential] = []
        if let token = try block.secret("bearer", context) { found.append(.bearer(token)) }
        if var basic = try block.mapping("basic") {
            found.append(
                .basic(user: try basic.requiredString("user"), password: try basic.requiredSecret("password", context)))
            try basic.rejectUnknownKeys()
        }
        if var header = try block.mapping("header") {
            let name = try header.requiredString("name")
            guard name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) else {
                throw ConfigError(path: "\(header.path).name", message: "'\(name)' is not a header name")
            }
            found.append(.header(name: name, value: try header.requiredSecret("value", context)))
            try header.rejectUnknownKeys()
        }
        if var certificate = try block.mapping("client_certificate") {
            found.append(
                .clientCertificate(
                    certificate: ConfigLoader.resolve(
                        try certificate.requiredString("cert_file"), against: context.base),
                    key: ConfigLoader.resolve(try certificate.requiredString("key_file"), against: context.base)))
            try certificate.rejectUnknownKeys()
        }
        try block.rejectUnknownKeys()
        guard found.count == 1 else {
            throw ConfigError(
                path: block.path,
                message: "give exactly one of bearer_env/bearer_file, basic, header or client_certificate")
        }
        return found[0]
    }

    private static func url(_ text: String, path: String) throws(ConfigError) -> URL {
        guard let url = URL(string: text), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host?.isEmpty == false, url.query == nil, url.fragment == nil
        else {
            throw ConfigError(path: path, message: "expected an http or https URL without a query, got '\(text)'")
        }
        return url
    }
}
