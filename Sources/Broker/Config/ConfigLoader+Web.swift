import Foundation

/// `web: { public_url, session_idle, session_lifetime }`.
extension ConfigLoader {
    static func webConfig(_ node: ConfigNode?) throws(ConfigError) -> WebConfig? {
        guard var node else { return nil }
        let text = try node.requiredString("public_url")
        guard let url = URL(string: text), url.scheme == "https", let host = url.host, !host.isEmpty,
            url.path.isEmpty || url.path == "/", url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw ConfigError(
                path: "web.public_url",
                message: "expected https://host[:port] with no path, query or fragment, got '\(text)' "
                    + "(the page's cookies are Secure and __Host- bound to the whole origin)")
        }
        var web = WebConfig(publicURL: url)
        web.sessionIdle = try node.duration("session_idle") ?? web.sessionIdle
        web.sessionLifetime = try node.duration("session_lifetime") ?? web.sessionLifetime
        try node.rejectUnknownKeys()
        guard web.sessionIdle > 0, web.sessionLifetime >= web.sessionIdle else {
            throw ConfigError(
                path: "web.session_idle", message: "must be positive and no longer than web.session_lifetime")
        }
        return web
    }
}
