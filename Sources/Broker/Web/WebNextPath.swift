/// Where a login returns to (`next`). Only a path on the page itself is followed: anything that a browser could
/// read as another origin (`//evil`, `/\evil`, `https://evil`, control characters) becomes the approvals list, so
/// a crafted login link cannot send a freshly logged-in approver to a look-alike site (an open redirect).
enum WebNextPath {
    static let fallback = "/approvals"

    static func safe(_ text: String?) -> String {
        guard let text, text.utf8.count <= 512, text.hasPrefix("/"), !text.hasPrefix("//"),
            !text.contains("\\"),
            text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F })
        else {
            return fallback
        }
        return text
    }
}
