package import Foundation

/// What the broker tells an unauthenticated client about how to log in, so `hoopctl login` needs only the broker's
/// address.
package struct AuthConfigResponse: Codable, Sendable, Equatable {
    package var issuers: [IssuerInfo]
    /// SAML identity providers `hoopctl login --saml NAME` can use; absent from brokers that know none.
    package var saml: [SAMLProviderInfo]?

    package init(issuers: [IssuerInfo], saml: [SAMLProviderInfo]? = nil) {
        self.issuers = issuers
        self.saml = saml
    }
}

/// One trusted identity provider as advertised to clients.
package struct IssuerInfo: Codable, Sendable, Equatable {
    package var issuer: String
    package var audience: String
    /// Public client id for the device flow, when the operator configured one.
    package var cliClientID: String?
    package var scopes: [String]

    package init(issuer: String, audience: String, cliClientID: String?, scopes: [String]) {
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
package struct Principal: Codable, Sendable, Equatable, Hashable {
    package var issuer: String
    package var subject: String
    package var email: String?
    package var groups: [String]

    package init(issuer: String, subject: String, email: String?, groups: [String]) {
        self.issuer = issuer
        self.subject = subject
        self.email = email
        self.groups = groups
    }

    /// Human-readable actor name for logs and audit events: the email when known, else the subject.
    package var displayName: String { email ?? subject }
}

/// A resource the caller may open sessions to, with what will happen there: which statements are refused or
/// wait for approval, whether the session itself waits, whether results are masked. A user should learn that from
/// `hoopctl resources`, not from a refused statement. The policy fields are absent from older brokers.
package struct ResourceInfo: Codable, Sendable, Equatable {
    package var name: String
    package var type: ResourceType
    package var maxSessionSeconds: Int
    package var guardrails: [GuardrailInfo]?
    /// Who approves a session, when sessions on this resource need approval.
    package var sessionApprovers: [String]?
    package var masked: Bool?
    /// The column rules of the masking policy (`users.email` → `partial`), so tools can mark masked columns
    /// before anyone reads them; detectors still mask any other column at the broker.
    package var maskedColumns: [MaskedColumnInfo]?

    package init(
        name: String, type: ResourceType, maxSessionSeconds: Int, guardrails: [GuardrailInfo]? = nil,
        sessionApprovers: [String]? = nil, masked: Bool? = nil, maskedColumns: [MaskedColumnInfo]? = nil
    ) {
        self.name = name
        self.type = type
        self.maxSessionSeconds = maxSessionSeconds
        self.guardrails = guardrails
        self.sessionApprovers = sessionApprovers
        self.masked = masked
        self.maskedColumns = maskedColumns
    }

    enum CodingKeys: String, CodingKey {
        case name, type, guardrails, masked
        case maxSessionSeconds = "max_session_seconds"
        case sessionApprovers = "session_approvers"
        case maskedColumns = "masked_columns"
    }
}

/// One column rule of a resource's masking policy, as written in its configuration.
package struct MaskedColumnInfo: Codable, Sendable, Equatable {
    /// `table.column`, `schema.table.column` or `*.column`.
    package var pattern: String
    /// `redact`, `partial` or `hash`.
    package var strategy: String

    package init(pattern: String, strategy: String) {
        self.pattern = pattern
        self.strategy = strategy
    }
}

/// One guardrail rule of a resource: its name and what it does to a matching statement or command.
package struct GuardrailInfo: Codable, Sendable, Equatable {
    package enum Action: String, Codable, Sendable, Equatable {
        case block
        case requireApproval = "require_approval"
    }

    package var name: String
    package var action: Action
    /// Who approves, for `require_approval`.
    package var approvers: [String]?

    package init(name: String, action: Action, approvers: [String]? = nil) {
        self.name = name
        self.action = action
        self.approvers = approvers
    }

    /// `ddl (approval: dba)` or `writes (block)`.
    package var summary: String {
        switch action {
        case .block: "\(name) (block)"
        case .requireApproval: "\(name) (approval: \((approvers ?? []).joined(separator: ", ")))"
        }
    }
}

/// Body of `POST /v1/sessions`.
package struct SessionRequest: Codable, Sendable, Equatable {
    package var resource: String
    package var reason: String?
    /// Requested lifetime; the broker caps it at the resource's `max_session`.
    package var durationSeconds: Int?
    /// An approved session request to use, for resources whose sessions need approval.
    package var approval: Int64?
    /// What opened the session, when a program did it on someone's behalf (an MCP tool call).
    package var origin: SessionOrigin?

    package init(
        resource: String, reason: String?, durationSeconds: Int?, approval: Int64? = nil, origin: SessionOrigin? = nil
    ) {
        self.resource = resource
        self.reason = reason
        self.durationSeconds = durationSeconds
        self.approval = approval
        self.origin = origin
    }

    enum CodingKeys: String, CodingKey {
        case resource, reason, approval, origin
        case durationSeconds = "duration_seconds"
    }
}

/// Lifecycle of a just-in-time session.
package enum SessionStatus: String, Codable, Sendable, Equatable {
    case active
    case expired
    case revoked
    case closed
}

/// A session as the API reports it.
package struct SessionInfo: Codable, Sendable, Equatable {
    package var id: String
    package var resource: String
    package var resourceType: ResourceType
    package var subject: String
    package var email: String?
    package var reason: String?
    package var status: SessionStatus
    package var createdAt: Date
    package var expiresAt: Date
    package var endedAt: Date?
    package var connections: Int
    package var bytesUp: Int
    package var bytesDown: Int

    package init(
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
package struct SessionGrantResponse: Codable, Sendable, Equatable {
    package var session: SessionInfo
    /// Broker-signed, short-lived, bound to principal, resource and expiry. Presented on every tunnel.
    package var grant: String
    /// For resources whose protocol has a login (PostgreSQL), what local clients must present on the forwarded
    /// port. The target's real credentials stay in the broker.
    package var credentials: SessionCredentials?

    package init(session: SessionInfo, grant: String, credentials: SessionCredentials? = nil) {
        self.session = session
        self.grant = grant
        self.credentials = credentials
    }
}

/// A per-session login for the forwarded port: random, compared in constant time, and useless once the session
/// ends — so another local user who reaches the port still cannot ride the session.
package struct SessionCredentials: Codable, Sendable, Equatable {
    package var user: String
    package var password: String
    package var database: String?
    /// For SSH resources, the broker's host key (`ssh-ed25519 AAAA...`), which the local client pins.
    package var hostKey: String?
    /// For resources with direct mode, the broker's own PostgreSQL port: clients may connect there, on the
    /// broker's host, over TLS verified against the broker's certificate, with this login.
    package var directPort: Int?

    package init(user: String, password: String, database: String?, hostKey: String? = nil, directPort: Int? = nil) {
        self.user = user
        self.password = password
        self.database = database
        self.hostKey = hostKey
        self.directPort = directPort
    }

    enum CodingKeys: String, CodingKey {
        case user, password, database
        case hostKey = "host_key"
        case directPort = "direct_port"
    }
}

/// Every non-2xx answer from the broker has this body, so clients can print a precise message.
package struct APIErrorBody: Codable, Sendable, Equatable {
    package var error: APIErrorDetail

    package init(error: APIErrorDetail) {
        self.error = error
    }
}

/// A machine-readable code, a human message, and optionally what to do next.
package struct APIErrorDetail: Codable, Sendable, Equatable {
    package var code: String
    package var message: String
    package var hint: String?
    /// The approval request a refusal is about, when there is one.
    package var approval: Int64?

    package init(code: String, message: String, hint: String? = nil, approval: Int64? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
        self.approval = approval
    }
}
