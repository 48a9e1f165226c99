"""In-memory models behind the Authlib server: clients, users, device
authorizations and refresh tokens.

Everything lives in one `Store` guarded by a lock, because the HTTP server is
threaded and a test may approve a device code while the client is polling.
Nothing is persisted: every start of the IdP is a clean slate, which is what
tests want.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass, field

from authlib.oauth2.rfc6749 import ClientMixin, TokenMixin
from authlib.oidc.core import AuthorizationCodeMixin
from authlib.oauth2.rfc8628 import DEVICE_CODE_GRANT_TYPE, DeviceCredentialDict

from keys import SIGNING_ALGS

CONFIDENTIAL_AUTH_METHODS = ("client_secret_basic", "client_secret_post")

#: RFC 6749 §4.1.2 recommends at most ten minutes; a minute is plenty for a redirect.
AUTHORIZATION_CODE_TTL = 60

#: Refresh tokens outlive access tokens by far; a day is plenty for tests and demos.
REFRESH_TOKEN_TTL = 24 * 3600


def _string_list(value, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"'{name}' must be a list of strings")
    return list(value)


def _optional_string(value, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"'{name}' must be a string")
    return value


@dataclass
class Client(ClientMixin):
    """An OAuth client as configured through /test/clients or --clients.

    A client without a secret is public: it may use the device flow, the
    authorization code flow with PKCE S256 when it registered redirect URIs,
    and refresh what those gave it.  A confidential client may use every grant,
    authenticating with HTTP Basic or form-posted credentials.
    """

    client_id: str
    client_secret: str | None = None
    groups: list[str] = field(default_factory=list)
    audience: str | list[str] = "hoop"
    subject: str | None = None
    email: str | None = None
    alg: str = "RS256"
    access_token_ttl: int = 3600
    #: Exact redirect URIs for the authorization code flow (no prefix or pattern matching, RFC 9700 §4.1.3).
    redirect_uris: list[str] = field(default_factory=list)

    @classmethod
    def from_json(cls, data) -> "Client":
        """Build a client from the /test/clients JSON shape; ValueError explains bad input."""
        if not isinstance(data, dict):
            raise ValueError("a client must be a JSON object")
        client_id = data.get("client_id")
        if not isinstance(client_id, str) or not client_id:
            raise ValueError("'client_id' must be a non-empty string")
        audience = data.get("audience", "hoop")
        if isinstance(audience, list):
            audience = _string_list(audience, "audience")
        elif not isinstance(audience, str) or not audience:
            raise ValueError("'audience' must be a string or a list of strings")
        alg = data.get("alg") or "RS256"
        if alg not in SIGNING_ALGS:
            raise ValueError(f"'alg' must be one of {', '.join(SIGNING_ALGS)}")
        ttl = data.get("access_token_ttl", 3600)
        if isinstance(ttl, bool) or not isinstance(ttl, int) or ttl < 1:
            raise ValueError("'access_token_ttl' must be a positive integer (seconds)")
        return cls(
            client_id=client_id,
            client_secret=_optional_string(data.get("client_secret"), "client_secret") or None,
            groups=_string_list(data.get("groups"), "groups"),
            audience=audience,
            subject=_optional_string(data.get("subject"), "subject") or client_id,
            email=_optional_string(data.get("email"), "email"),
            alg=alg,
            access_token_ttl=ttl,
            redirect_uris=_string_list(data.get("redirect_uris"), "redirect_uris"),
        )

    def to_json(self) -> dict:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "public": self.is_public,
            "groups": self.groups,
            "audience": self.audience,
            "subject": self.subject,
            "email": self.email,
            "alg": self.alg,
            "access_token_ttl": self.access_token_ttl,
            "redirect_uris": self.redirect_uris,
        }

    @property
    def is_public(self) -> bool:
        return self.client_secret is None

    # -- Authlib ClientMixin -------------------------------------------------

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        # Only an unambiguous registration may be implied; otherwise the request must name one.
        return self.redirect_uris[0] if len(self.redirect_uris) == 1 else None

    def get_allowed_scope(self, scope):
        # Any scope is granted as asked; returning None would make Authlib
        # answer invalid_scope when the client asks for none, so use "".
        return scope or ""

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return self.client_secret is not None and secrets.compare_digest(
            self.client_secret.encode(), client_secret.encode()
        )

    def check_endpoint_auth_method(self, method, endpoint):
        # Authlib also asks ("none", "token") to decide whether a client is
        # public; a confidential client must never get through without its secret.
        if self.is_public:
            return method == "none"
        return method in CONFIDENTIAL_AUTH_METHODS

    def check_response_type(self, response_type):
        return response_type == "code" and bool(self.redirect_uris)

    def check_grant_type(self, grant_type):
        if grant_type in (DEVICE_CODE_GRANT_TYPE, "refresh_token"):
            return True
        if grant_type == "authorization_code":
            return bool(self.redirect_uris)
        # RFC 6749 §4.4: client credentials are for confidential clients only.
        return grant_type == "client_credentials" and not self.is_public


@dataclass(frozen=True)
class User:
    """The person who approved a device authorization (standing in for a login)."""

    subject: str
    email: str | None = None
    groups: tuple[str, ...] = ()

    @classmethod
    def from_json(cls, subject, email=None, groups=None) -> "User":
        """Validate an approval's user fields; ValueError explains bad input."""
        if not isinstance(subject, str) or not subject:
            raise ValueError("'subject' must be a non-empty string")
        return cls(subject, _optional_string(email, "email") or None, tuple(_string_list(groups, "groups")))

    def get_user_id(self):
        return self.subject

    def to_json(self) -> dict:
        return {"subject": self.subject, "email": self.email, "groups": list(self.groups)}


@dataclass
class AuthorizationCode(AuthorizationCodeMixin):
    """A code from /authorize: who logged in, for which client and redirect, and
    the PKCE challenge and OIDC nonce the token request is checked against."""

    code: str
    client_id: str
    redirect_uri: str
    scope: str
    user: User
    code_challenge: str | None
    code_challenge_method: str | None
    nonce: str | None
    auth_time: int
    expires_at: float

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def is_expired(self):
        return time.time() >= self.expires_at


@dataclass
class RefreshToken(TokenMixin):
    """A refresh token remembers who logged in, so refreshing keeps the identity."""

    refresh_token: str
    client_id: str
    scope: str
    user: User
    expires_at: float
    revoked: bool = False

    def check_client(self, client):
        return self.client_id == client.get_client_id()

    def get_scope(self):
        return self.scope

    def get_expires_in(self):
        return max(0, int(self.expires_at - time.time()))

    def is_expired(self):
        return time.time() >= self.expires_at

    def is_revoked(self):
        return self.revoked


def normalize_user_code(user_code: str) -> str:
    """RFC 8628 §6.1: user codes are compared case-insensitively and without the
    punctuation, so 'bcdf ghjk' finds 'BCDF-GHJK'."""
    chars = "".join(c for c in str(user_code).upper() if c.isalnum())
    return f"{chars[:4]}-{chars[4:]}" if len(chars) == 8 else chars


class Store:
    """All mutable IdP state, shared by the Authlib grants and the Flask views."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._clients: dict[str, Client] = {}
        self._devices: dict[str, DeviceCredentialDict] = {}  # by device_code
        self._device_by_user_code: dict[str, str] = {}
        self._decisions: dict[str, tuple[User | None, bool]] = {}  # by user_code
        self._refresh_tokens: dict[str, RefreshToken] = {}
        self._codes: dict[str, AuthorizationCode] = {}
        self._slow_down_remaining = 0
        self._stats = {"jwks_fetches": 0, "token_requests": 0}

    # -- clients -------------------------------------------------------------

    def put_client(self, client: Client) -> Client:
        with self._lock:
            self._clients[client.client_id] = client
        return client

    def get_client(self, client_id: str) -> Client | None:
        with self._lock:
            return self._clients.get(client_id)

    # -- device authorizations ----------------------------------------------

    def save_device(self, credential: DeviceCredentialDict) -> None:
        with self._lock:
            self._devices[credential["device_code"]] = credential
            self._device_by_user_code[credential["user_code"]] = credential["device_code"]

    def get_device(self, device_code: str) -> DeviceCredentialDict | None:
        with self._lock:
            return self._devices.get(device_code)

    def find_pending(self, user_code: str) -> DeviceCredentialDict | None:
        """The live (not yet redeemed, not expired) authorization for a user code."""
        with self._lock:
            device_code = self._device_by_user_code.get(normalize_user_code(user_code))
            credential = self._devices.get(device_code) if device_code else None
        if credential is None or credential.is_expired():
            return None
        return credential

    def decide(self, user_code: str, user: User | None, approved: bool) -> str | None:
        """Record the user's answer; returns the canonical user code, or None
        if there is no live authorization for it."""
        credential = self.find_pending(user_code)
        if credential is None:
            return None
        with self._lock:
            self._decisions[credential["user_code"]] = (user, approved)
        return credential["user_code"]

    def decision(self, user_code: str) -> tuple[User | None, bool] | None:
        with self._lock:
            return self._decisions.get(user_code)

    def expire_device(self, user_code: str) -> str | None:
        """Force a live authorization to expire now (so tests need not wait 600 s)."""
        credential = self.find_pending(user_code)
        if credential is None:
            return None
        credential["expires_at"] = time.time() - 1
        return credential["user_code"]

    def redeem_device(self, device_code: str) -> None:
        """A device code yields one token response; afterwards it is gone (RFC 8628 §3.5)."""
        with self._lock:
            credential = self._devices.pop(device_code, None)
            if credential is not None:
                self._device_by_user_code.pop(credential["user_code"], None)
                self._decisions.pop(credential["user_code"], None)

    def set_slow_down(self, count: int) -> None:
        with self._lock:
            self._slow_down_remaining = count

    def take_slow_down(self) -> bool:
        """Consume one forced slow_down answer, if the test asked for any."""
        with self._lock:
            if self._slow_down_remaining > 0:
                self._slow_down_remaining -= 1
                return True
            return False

    # -- authorization codes -------------------------------------------------

    def save_code(self, code: AuthorizationCode) -> None:
        with self._lock:
            self._codes[code.code] = code

    def get_code(self, code: str, client_id: str) -> AuthorizationCode | None:
        """The live code issued to this client, or None (unknown, expired or another client's)."""
        with self._lock:
            found = self._codes.get(code)
        if found is None or found.client_id != client_id or found.is_expired():
            return None
        return found

    def delete_code(self, code: str) -> None:
        """A code is redeemed once (RFC 6749 §4.1.2); a second use finds nothing."""
        with self._lock:
            self._codes.pop(code, None)

    # -- refresh tokens ------------------------------------------------------

    def save_refresh_token(self, token: RefreshToken) -> None:
        with self._lock:
            self._refresh_tokens[token.refresh_token] = token

    def get_refresh_token(self, refresh_token: str) -> RefreshToken | None:
        with self._lock:
            token = self._refresh_tokens.get(refresh_token)
        if token is None or token.is_revoked() or token.is_expired():
            return None
        return token

    def revoke_refresh_token(self, refresh_token: str) -> None:
        with self._lock:
            token = self._refresh_tokens.get(refresh_token)
            if token is not None:
                token.revoked = True

    # -- counters for /test/stats ---------------------------------------------

    def count(self, name: str) -> None:
        with self._lock:
            self._stats[name] += 1

    def stats(self) -> dict:
        with self._lock:
            return dict(self._stats)
