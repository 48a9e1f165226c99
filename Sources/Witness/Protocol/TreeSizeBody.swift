/// The body of a 409 answer: the size of the checkpoint the witness cosigned last, in decimal, then a newline. It is
/// typed `text/x.tlog.size` so a client can tell it from an error page a proxy put in its place.
package enum TreeSizeBody {
    package static let contentType = "text/x.tlog.size"

    package static func encode(_ size: Int64) -> String {
        "\(size)\n"
    }

    /// The size, or nil when the body is anything but one canonical decimal and its newline.
    package static func decode(_ body: some Collection<UInt8>) -> Int64? {
        guard let text = String(validating: body, as: UTF8.self), text.hasSuffix("\n") else { return nil }
        return CanonicalDecimal.parse(text.dropLast())
    }
}
