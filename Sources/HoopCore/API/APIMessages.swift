public import Foundation

/// What the broker tells an unauthenticated client about how to log in, so `hoopctl login` needs only the broker's
/// address.
public struct AuthConfigResponse: Codable, Sendable, Equatable {
    public var issuers: [IssuerInfo]

    public init(issuers: [IssuerInfo]) {
        self.issuers = issuers
    }
}

/// One trusted identity provider as advertised to clients.
public struct IssuerInfo: Codable, Sendable, Equatable {
    public var issuer: String
    public var audience: String
    /// Public client id for the device flow, when the operator configured one.
    public var cliClientID: String?
    public var scopes: [String]

    public init(issuer: String, audience: String, cliClientID: String?, scopes: [String]) {
        self.issuer = issuer
        self.audience = audience
        self.cliClientID = cliClientID
        self.scopes = scopes
    }

    enum CodingKeys: String, CodingKey {
        case issuer, audience, scopes
        case cliClientID = "cli_client_id"
    }
}

/// The identity a verified token maps to.
public struct Principal: Codable, Sendable, Equatable, Hashable {
    public var issuer: String
    public var subject: String
    public var email: String?
    public var groups: [String]

    public init(issuer: String, subject: String, email: String?, groups: [String]) {
        self.issuer = issuer
        self.subject = subject
        self.email = email
        self.groups = groups
    }

    /// Human-readable actor name for logs and audit events: the email when known, else the subject.
    public var displayName: String { email ?? subject }
}

/// A resource the caller may open sessions to.
public struct ResourceInfo: Codable, Sendable, Equatable {
    public var name: String
    public var type: ResourceType
    public var maxSessionSeconds: Int

    public init(name: String, type: ResourceType, maxSessionSeconds: Int) {
        self.name = name
        self.type = type
        self.maxSessionSeconds = maxSessionSeconds
    }

    enum CodingKeys: String, CodingKey {
        case name, type
        case maxSessionSeconds = "max_session_seconds"
    }
}

/// Body of `POST /v1/sessions`.
public struct SessionRequest: Codable, Sendable, Equatable {
    public var resource: String
    public var reason: String?
    /// Requested lifetime; the broker caps it at the resource's `max_session`.
    public var durationSeconds: Int?
    /// An approved session request to use, for resources whose sessions need approval.
    public var approval: Int64?

    public init(resource: String, reason: String?, durationSeconds: Int?, approval: Int64? = nil) {
        self.resource = resource
        self.reason = reason
        self.durationSeconds = durationSeconds
        self.approval = approval
    }

    enum CodingKeys: String, CodingKey {
        case resource, reason, approval
        case durationSeconds = "duration_seconds"
    }
}

/// Lifecycle of a just-in-time session.
public enum SessionStatus: String, Codable, Sendable, Equatable {
    case active
    case expired
    case revoked
    case closed
}

/// A session as the API reports it.
public struct SessionInfo: Codable, Sendable, Equatable {
    public var id: String
    public var resource: String
    public var resourceType: ResourceType
    public var subject: String
    public var email: String?
    public var reason: String?
    public var status: SessionStatus
    public var createdAt: Date
    public var expiresAt: Date
    public var endedAt: Date?
    public var connections: Int
    public var bytesUp: Int
    public var bytesDown: Int

    public init(
        id: String,
        resource: String,
        resourceType: ResourceType,
        subject: String,
        email: String?,
        reason: String?,
        status: SessionStatus,
        createdAt: Date,
        expiresAt: Date,
        endedAt: Date?,
        connections: Int,
        bytesUp: Int,
        bytesDown: Int
    ) {
        self.id = id
        self.resource = resource
        self.resourceType = resourceType
        self.subject = subject
        self.email = email
        self.reason = reason
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.endedAt = endedAt
        self.connections = connections
        self.bytesUp = bytesUp
        self.bytesDown = bytesDown
    }

    enum CodingKeys: String, CodingKey {
        case id, resource, subject, email, reason, status, connections
        case resourceType = "resource_type"
        case createdAt = "created_at"
        case expiresAt = "expires_at"
        case endedAt = "ended_at"
        case bytesUp = "bytes_up"
        case bytesDown = "bytes_down"
    }
}

/// Answer to `POST /v1/sessions`: the session and the grant that opens tunnels for it.
public struct SessionGrantResponse: Codable, Sendable, Equatable {
    public var session: SessionInfo
    /// Broker-signed, short-lived, bound to principal, resource and expiry. Presented on every tunnel.
    public var grant: String
    /// For resources whose protocol has a login (PostgreSQL), what local clients must present on the forwarded
    /// port. The target's real credentials stay in the broker.
    public var credentials: SessionCredentials?

    public init(session: SessionInfo, grant: String, credentials: SessionCredentials? = nil) {
        self.session = session
        self.grant = grant
        self.credentials = credentials
    }
}

/// A per-session login for the forwarded port: random, compared in constant time, and useless once the session
/// ends — so another local user who reaches the port still cannot ride the session.
public struct SessionCredentials: Codable, Sendable, Equatable {
    public var user: String
    public var password: String
    public var database: String?
    /// For SSH resources, the broker's host key (`ssh-ed25519 AAAA...`), which the local client pins.
    public var hostKey: String?

    public init(user: String, password: String, database: String?, hostKey: String? = nil) {
        self.user = user
        self.password = password
        self.database = database
        self.hostKey = hostKey
    }

    enum CodingKeys: String, CodingKey {
        case user, password, database
        case hostKey = "host_key"
    }
}

/// Every non-2xx answer from the broker has this body, so clients can print a precise message.
public struct APIErrorBody: Codable, Sendable, Equatable {
    public var error: APIErrorDetail

    public init(error: APIErrorDetail) {
        self.error = error
    }
}

/// A machine-readable code, a human message, and optionally what to do next.
public struct APIErrorDetail: Codable, Sendable, Equatable {
    public var code: String
    public var message: String
    public var hint: String?
    /// The approval request a refusal is about, when there is one.
    public var approval: Int64?

    public init(code: String, message: String, hint: String? = nil, approval: Int64? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.approval = approval
    }
}
