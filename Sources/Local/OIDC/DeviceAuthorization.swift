/// The device authorization response (RFC 8628 §3.2): what the user must do in a browser while the CLI polls.
package struct DeviceAuthorization: Decodable, Sendable, Equatable {
    /// Secret between the CLI and the provider; never shown.
    var deviceCode: String
    /// The code the user types at `verificationURI`.
    package var userCode: String
    package var verificationURI: String
    /// `verificationURI` with the code filled in, when the provider offers one (handy as a link or QR code).
    package var verificationURIComplete: String?
    /// Seconds until the codes expire.
    package var expiresIn: Int
    /// Seconds to wait between polls; RFC 8628 says 5 when absent.
    package var interval: Int?

    enum CodingKeys: String, CodingKey {
        case deviceCode = "device_code"
        case userCode = "user_code"
        case verificationURI = "verification_uri"
        case verificationURIComplete = "verification_uri_complete"
        case expiresIn = "expires_in"
        case interval
    }
}
