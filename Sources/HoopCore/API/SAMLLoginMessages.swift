package import Foundation

/// One SAML identity provider as advertised to clients.
package struct SAMLProviderInfo: Codable, Sendable, Equatable {
    /// The handle `hoopctl login --saml NAME` takes.
    package var name: String

    package init(name: String) {
        self.name = name
    }
}

/// `POST /v1/auth/saml/login`: begin a login through a SAML provider (the only one when `provider` is nil).
package struct SAMLLoginRequest: Codable, Sendable, Equatable {
    package var provider: String?

    package init(provider: String?) {
        self.provider = provider
    }
}

/// The answer to `SAMLLoginRequest`: the URL the person opens, and what `hoopctl` polls with until the broker has
/// verified the assertion. The poll secret never goes through the browser, so a person who sees the URL cannot
/// collect the token.
package struct SAMLLoginStart: Codable, Sendable, Equatable {
    package var flow: String
    package var pollSecret: String
    package var loginURL: String
    package var expiresIn: Int
    package var interval: Int

    package init(flow: String, pollSecret: String, loginURL: String, expiresIn: Int, interval: Int) {
        self.flow = flow
        self.pollSecret = pollSecret
        self.loginURL = loginURL
        self.expiresIn = expiresIn
        self.interval = interval
    }

    enum CodingKeys: String, CodingKey {
        case flow, interval
        case pollSecret = "poll_secret"
        case loginURL = "login_url"
        case expiresIn = "expires_in"
    }
}

/// `POST /v1/auth/saml/token`: ask whether the login has finished; once it has, with the code the browser shows.
package struct SAMLTokenRequest: Codable, Sendable, Equatable {
    package var flow: String
    package var pollSecret: String
    /// The confirmation code the broker showed in the browser that finished the login.
    package var code: String?

    package init(flow: String, pollSecret: String, code: String? = nil) {
        self.flow = flow
        self.pollSecret = pollSecret
        self.code = code
    }

    enum CodingKeys: String, CodingKey {
        case flow, code
        case pollSecret = "poll_secret"
    }
}

/// The answer to a poll: still pending, waiting for the browser's confirmation code, or the broker's token (given
/// once). A refused assertion or a wrong code is an API error.
package struct SAMLTokenResponse: Codable, Sendable, Equatable {
    package enum Status: String, Codable, Sendable {
        case pending
        /// The IdP vouched for someone: ask the person for the code their browser shows, and poll with it.
        case confirm
        case complete
    }

    package var status: Status
    package var accessToken: String?
    package var expiresAt: Date?

    package init(status: Status, accessToken: String? = nil, expiresAt: Date? = nil) {
        self.status = status
        self.accessToken = accessToken
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case status
        case accessToken = "access_token"
        case expiresAt = "expires_at"
    }
}
