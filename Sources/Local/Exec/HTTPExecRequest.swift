/// What `hoopctl exec` sends to an `http` resource, read from the words after `--`: `METHOD PATH [BODY...]`
/// (`GET /v1/users`, `POST /v1/users {"name":"ada"}`). A body that starts with `{` or `[` is sent as JSON.
struct HTTPExecRequest: Sendable, Equatable {
    var method: String
    var path: String
    var body: String

    init(parsing command: String) throws(LocalError) {
        let words = command.split(separator: " ", maxSplits: 2, omittingEmptySubsequences: true)
        guard words.count >= 2, words[0].allSatisfy({ $0.isASCII && $0.isLetter }), words[1].hasPrefix("/") else {
            throw LocalError(
                .invalidInput, "an http exec takes METHOD PATH [BODY], got '\(command)'",
                hint: "e.g. hoopctl exec api -- GET /v1/users")
        }
        method = words[0].uppercased()
        path = String(words[1])
        body = words.count > 2 ? String(words[2]) : ""
    }

    /// The `Content-Type` the body goes with.
    var contentType: String? {
        guard let first = body.first else { return nil }
        return first == "{" || first == "[" ? "application/json" : "text/plain; charset=utf-8"
    }
}
