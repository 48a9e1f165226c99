"""Authlib wiring: the authorization server, its grants and the RFC 9068
access-token generator, all backed by the in-memory `Store`.

Grants: client credentials, the RFC 8628 device flow, refresh (rotating), and
the authorization code flow (RFC 6749 §4.1) with PKCE (RFC 7636, S256 only and
mandatory for public clients) and OpenID Connect ID tokens carrying the nonce.

Authlib does the protocol work (client authentication, grant dispatch, the
RFC 8628 error codes, token response shape); this module only supplies the
storage hooks and the claims this project's broker expects (groups, email,
a configured audience).
"""

from __future__ import annotations

import time
import warnings

from authlib.common.security import generate_token
from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import InvalidGrantError, InvalidRequestError
from authlib.oauth2.rfc6749.grants import AuthorizationCodeGrant, ClientCredentialsGrant, RefreshTokenGrant
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oauth2.rfc8628 import (
    DeviceAuthorizationEndpoint,
    DeviceCodeGrant,
    DeviceCredentialDict,
    ExpiredTokenError,
    SlowDownError,
)
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from joserfc.errors import SecurityWarning
from joserfc.jws import JWSRegistry

from keys import SIGNING_ALGS, KeyStore
from models import AUTHORIZATION_CODE_TTL, REFRESH_TOKEN_TTL, AuthorizationCode, RefreshToken, Store

# joserfc 1.8 follows RFC 9864 and no longer lets "EdDSA" be used unless the
# caller lists it explicitly, and Authlib's RFC 9068 generator calls
# jwt.encode() without such a list.  The broker must accept EdDSA tokens, so
# this process opts in globally; it only signs and never verifies foreign
# tokens, so widening the default set carries no risk here.
if "EdDSA" not in JWSRegistry.recommended:
    JWSRegistry.recommended.append("EdDSA")
warnings.filterwarnings("ignore", category=SecurityWarning)


class AccessTokenGenerator(JWTBearerTokenGenerator):
    """RFC 9068 JWT access tokens for one signing algorithm.

    Authlib's generator fixes `alg` per instance, while this IdP chooses it per
    client, so `TokenGenerators` below keeps one instance per algorithm.
    """

    def __init__(self, issuer: str, alg: str, keys: KeyStore):
        super().__init__(
            issuer,
            alg=alg,
            refresh_token_generator=lambda **_: generate_token(48),
            expires_generator=lambda client, grant_type: client.access_token_ttl,
        )
        self.keys = keys

    def get_jwks(self):
        # Looked up on every token, so /test/rotate takes effect immediately.
        return self.keys.key_set(self.alg)

    def get_audiences(self, client, user, scope):
        # Authlib defaults aud to the client_id; the broker checks for its own
        # name, so each client carries the audience it should present.
        return client.audience

    def get_extra_claims(self, client, grant_type, user, scope):
        # These are merged over Authlib's claims last, which lets us (a) give
        # client-credentials tokens the client's configured subject instead of
        # its client_id and (b) set iat/nbf/exp from one clock reading, so that
        # nbf == iat and exp - iat == the client's TTL even across a second tick.
        now = int(time.time())
        claims = {"iat": now, "nbf": now, "exp": now + client.access_token_ttl}
        if user is None:  # client credentials: the client acts as itself
            claims["sub"] = client.subject
            groups, email = client.groups, client.email
        else:  # device flow / authorization code / refresh: the person who logged in
            groups, email = user.groups, user.email
        claims["groups"] = list(groups)
        if email:
            claims["email"] = email
        return claims


class TokenGenerators:
    """Dispatches to the generator for the client's configured algorithm."""

    def __init__(self, issuer: str, keys: KeyStore):
        self._by_alg = {alg: AccessTokenGenerator(issuer, alg, keys) for alg in SIGNING_ALGS}

    def __call__(self, grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True):
        generator = self._by_alg[client.alg]
        return generator(grant_type, client, user, scope, expires_in, include_refresh_token)


class IdpAuthorizationServer(AuthorizationServer):
    """Authlib's Flask server bound to our store instead of a database."""

    def __init__(self, app, store: Store, keys: KeyStore, issuer: str, device_interval: int):
        self.store = store
        self.issuer = issuer
        super().__init__(app)
        self.register_token_generator("default", TokenGenerators(issuer, keys))
        self.register_grant(ClientCredentials)
        self.register_grant(DeviceCode)
        self.register_grant(RefreshTokenRotation)
        self.register_grant(AuthorizationCodeWithPKCE, [S256Challenge(), IDTokens(issuer, keys)])
        self.register_endpoint(DeviceAuthorization(self, device_interval))

    def query_client(self, client_id):
        return self.store.get_client(client_id)

    def save_token(self, token, request):
        # Access tokens are self-contained JWTs; only refresh tokens need state.
        if "refresh_token" in token:
            self.store.save_refresh_token(
                RefreshToken(
                    refresh_token=token["refresh_token"],
                    client_id=request.client.get_client_id(),
                    scope=token.get("scope", ""),
                    user=request.user,
                    expires_at=time.time() + REFRESH_TOKEN_TTL,
                )
            )


class ClientCredentials(ClientCredentialsGrant):
    # Authlib allows only HTTP Basic by default; the spec'd clients also post the secret.
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]


class DeviceAuthorization(DeviceAuthorizationEndpoint):
    """POST /oauth/device_authorization (RFC 8628 §3.1–3.2)."""

    EXPIRES_IN = 600

    def __init__(self, server, interval: int):
        super().__init__(server)
        self.INTERVAL = interval  # instance override of Authlib's class default (5 s)

    def get_verification_uri(self):
        return f"{self.server.issuer}/device"

    def save_device_credential(self, client_id, scope, data):
        credential = DeviceCredentialDict(
            client_id=client_id,
            scope=scope or "",
            expires_at=time.time() + self.EXPIRES_IN,
            **data,
        )
        self.server.store.save_device(credential)


class DeviceCode(DeviceCodeGrant):
    """Token endpoint side of the device flow: pending, slow_down, denied, expired, granted."""

    def query_device_credential(self, device_code):
        credential = self.server.store.get_device(device_code)
        if credential is None:
            # Authlib would say invalid_request; RFC 6749 §5.2 calls an unknown
            # or already-redeemed grant invalid_grant, which clients treat as final.
            raise InvalidGrantError("Unknown or already used 'device_code'.")
        return credential

    def query_user_grant(self, user_code):
        return self.server.store.decision(user_code)

    def validate_device_credential(self, credential):
        # Authlib only asks should_slow_down() while the request is still
        # pending; /test/device/slow_down promises "the next N polls", so the
        # forced answers come first (after expiry, which is always final).
        if credential.is_expired():
            raise ExpiredTokenError()
        if self.server.store.take_slow_down():
            raise SlowDownError()
        return super().validate_device_credential(credential)

    def should_slow_down(self, credential):
        # Poll pacing is not enforced, so tests stay deterministic; slow_down
        # is produced on demand through /test/device/slow_down instead.
        return False

    def save_token(self, token):
        super().save_token(token)
        self.server.store.redeem_device(self.request.credential["device_code"])


class RefreshTokenRotation(RefreshTokenGrant):
    """Refresh keeps the user's identity and re-reads the client's current
    settings (audience, TTL, alg).  Refresh tokens rotate:
    each use returns a new one and revokes the old, as careful IdPs do, so a
    client must store the refresh token from every response."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        return self.server.store.get_refresh_token(refresh_token)

    def authenticate_user(self, refresh_token):
        return refresh_token.user

    def revoke_old_credential(self, refresh_token):
        self.server.store.revoke_refresh_token(refresh_token.refresh_token)


class S256Challenge(CodeChallenge):
    """PKCE as RFC 9700 §2.1.1 asks of a careful server: only S256 (a "plain"
    challenge, or none named, is refused), and a public client must send one."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if grant.request.client.is_public and not data.get("code_challenge"):
            raise InvalidRequestError("public clients must send a PKCE 'code_challenge' (S256)")
        if data.get("code_challenge") and data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("'code_challenge_method' must be S256")
        super().validate_code_challenge(grant, redirect_uri)


class IDTokens(OpenIDCode):
    """OpenID Connect ID tokens for `scope=openid`: signed by the client's key,
    audience the client id, with the nonce the authorization request carried."""

    def __init__(self, issuer: str, keys: KeyStore):
        super().__init__(require_nonce=False)
        self.issuer = issuer
        self.keys = keys

    def resolve_client_private_key(self, client):
        return self.keys.key_set(client.alg)

    def get_client_algorithm(self, client):
        return client.alg

    def get_client_claims(self, client):
        return {"iss": self.issuer, "aud": [client.client_id]}

    def exists_nonce(self, nonce, request):
        # A nonce is the client's replay check, made when it reads the ID token.
        return False

    def generate_user_info(self, user, scope):
        info = UserInfo(sub=user.subject, groups=list(user.groups))
        if user.email:
            info["email"] = user.email
        return info


class AuthorizationCodeWithPKCE(AuthorizationCodeGrant):
    """The browser login: /authorize issues a one-time code bound to the client,
    the exact redirect URI, the PKCE challenge and the nonce."""

    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def save_authorization_code(self, code, request):
        data = request.payload.data
        self.server.store.save_code(
            AuthorizationCode(
                code=code,
                client_id=request.client.client_id,
                redirect_uri=request.payload.redirect_uri or request.client.get_default_redirect_uri(),
                scope=request.scope or "",
                user=request.user,
                code_challenge=data.get("code_challenge"),
                code_challenge_method=data.get("code_challenge_method"),
                nonce=data.get("nonce"),
                auth_time=int(time.time()),
                expires_at=time.time() + AUTHORIZATION_CODE_TTL,
            )
        )

    def query_authorization_code(self, code, client):
        return self.server.store.get_code(code, client.client_id)

    def delete_authorization_code(self, authorization_code):
        self.server.store.delete_code(authorization_code.code)

    def authenticate_user(self, authorization_code):
        return authorization_code.user
