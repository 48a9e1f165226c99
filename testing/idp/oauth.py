"""Authlib wiring: the authorization server, its grants and the RFC 9068
access-token generator, all backed by the in-memory `Store`.

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
from authlib.oauth2.rfc6749 import InvalidGrantError
from authlib.oauth2.rfc6749.grants import ClientCredentialsGrant, RefreshTokenGrant
from authlib.oauth2.rfc8628 import (
    DeviceAuthorizationEndpoint,
    DeviceCodeGrant,
    DeviceCredentialDict,
    ExpiredTokenError,
    SlowDownError,
)
from authlib.oauth2.rfc9068 import JWTBearerTokenGenerator
from joserfc.errors import SecurityWarning
from joserfc.jws import JWSRegistry

from keys import SIGNING_ALGS, KeyStore
from models import REFRESH_TOKEN_TTL, RefreshToken, Store

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
        else:  # device flow / refresh: the person who approved the login
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
