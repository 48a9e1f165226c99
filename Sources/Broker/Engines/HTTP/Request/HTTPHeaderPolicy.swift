import Foundation
import NIOHTTP1

/// Which headers cross the broker, each way. A reverse proxy forwards end-to-end headers and answers for the
/// hop-by-hop ones itself (RFC 9110 §7.6.1); the broker also removes every credential and identity claim a client
/// sends, since the target must trust only the broker's, and refuses headers that would make the target run a
/// request other than the one judged.
enum HTTPHeaderPolicy {
    /// Headers about one connection, never forwarded.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization", "expect", "host", "content-length", "http2-settings",
    ]

    /// Credentials and identity claims a client could use to be someone else at the target.
    static let credentials: Set<String> = [
        "authorization", "cookie", "forwarded", "x-forwarded-for", "x-forwarded-host", "x-forwarded-proto",
        "x-forwarded-port", "x-forwarded-user", "x-forwarded-email", "x-forwarded-groups", "x-real-ip",
        "x-remote-user", "x-remote-group", "x-auth-request-user", "x-auth-request-email", "x-api-key",
    ]

    /// Headers that make frameworks run another method or path than the request line's (Symfony and IIS route
    /// by `X-Original-URL`/`X-Rewrite-URL`); the broker cannot know whether the target honours them, so it refuses
    /// them rather than judge the wrong request.
    static let requestOverrides: Set<String> = [
        "x-http-method-override", "x-http-method", "x-method-override", "x-original-url", "x-rewrite-url",
        "x-original-uri", "x-override-url",
    ]

    /// A header name as servers compare it: lowercased, and with `_` read as `-`, since CGI, WSGI and Rack expose
    /// both spellings under one variable (`X_Forwarded_For` is `HTTP_X_FORWARDED_FOR` to them).
    static func comparable(_ name: String) -> String {
        String(name.lowercased().map { $0 == "_" ? "-" : $0 })
    }

    /// The client's headers as the target gets them, minus the held credential (the caller adds it); throws for
    /// a header the broker will not forward.
    static func forwardable(_ headers: HTTPHeaders, credentialHeader: String?, masked: Bool)
        throws(HTTPRequestProblem) -> HTTPHeaders
    {
        try refuseAmbiguous(headers)
        let named = connectionOptions(headers)
        var out = HTTPHeaders()
        let credentialHeader = credentialHeader.map(comparable)
        for (name, value) in headers {
            let lower = comparable(name)
            if hopByHop.contains(lower) || named.contains(lower) || credentials.contains(lower) { continue }
            if lower == credentialHeader { continue }
            if lower.hasPrefix("impersonate-") { continue }
            // A masked body must come back readable: the broker asks for it uncompressed, and as text.
            if masked && lower == "accept-encoding" { continue }
            if masked && lower == "accept" {
                out.add(name: name, value: readableAccept(value))
                continue
            }
            out.add(name: name, value: value)
        }
        if masked { out.add(name: "Accept-Encoding", value: "identity") }
        return out
    }

    /// An `Accept` value without the binary encodings the masker cannot read (Kubernetes' protobuf, CBOR);
    /// JSON when nothing else is left.
    static func readableAccept(_ value: String) -> String {
        let kept = value.split(separator: ",").filter { range in
            let media = range.lowercased()
            return !media.contains("protobuf") && !media.contains("cbor")
        }
        return kept.isEmpty
            ? "application/json" : kept.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ",")
    }

    /// The target's response headers as the client gets them: hop-by-hop and framing headers dropped (the broker
    /// frames its own response), an absolute `Location` on the target's origin made relative so the client stays
    /// on the broker.
    static func returnable(_ headers: HTTPHeaders, targetOrigin: String, basePath: String) -> HTTPHeaders {
        let named = connectionOptions(headers)
        var out = HTTPHeaders()
        for (name, value) in headers {
            let lower = name.lowercased()
            if hopByHop.contains(lower) || named.contains(lower) { continue }
            if lower == "location", value.hasPrefix(targetOrigin) {
                var path = String(value.dropFirst(targetOrigin.count))
                if !basePath.isEmpty, path.hasPrefix(basePath) { path = String(path.dropFirst(basePath.count)) }
                out.add(name: name, value: path.hasPrefix("/") ? path : "/" + path)
                continue
            }
            out.add(name: name, value: value)
        }
        return out
    }

    /// Requests whose framing or meaning two parsers could read differently.
    private static func refuseAmbiguous(_ headers: HTTPHeaders) throws(HTTPRequestProblem) {
        for (name, _) in headers where requestOverrides.contains(comparable(name)) {
            throw HTTPRequestProblem(
                .badHeader, "the \(name) header is refused: the broker judges the request line's method and path only")
        }
        if headers[canonicalForm: "host"].count > 1 || headers["host"].count > 1 {
            throw HTTPRequestProblem(.badHeader, "more than one Host header")
        }
        // The body is judged as one type; two Content-Type fields are joined into another by some servers.
        if headers["content-type"].count > 1 {
            throw HTTPRequestProblem(.badHeader, "more than one Content-Type header")
        }
        let lengths = Set(headers[canonicalForm: "content-length"].map { String($0) })
        if lengths.count > 1 {
            throw HTTPRequestProblem(.ambiguousFraming, "Content-Length headers that disagree")
        }
        if !lengths.isEmpty, headers.contains(name: "transfer-encoding") {
            throw HTTPRequestProblem(.ambiguousFraming, "both Content-Length and Transfer-Encoding")
        }
    }

    /// Header names the `Connection` header lists, which are hop-by-hop too.
    private static func connectionOptions(_ headers: HTTPHeaders) -> Set<String> {
        Set(headers[canonicalForm: "connection"].map { comparable(String($0)) })
    }
}
