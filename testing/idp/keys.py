"""Signing keys of the test identity provider.

The broker under test must accept tokens signed with any of the algorithms a
real IdP may use, so the IdP keeps one current key per algorithm (RS256, ES256,
EdDSA) and publishes all of them in its JWKS.  Rotation adds a key with a new
kid and keeps the old ones published by default, because that is what real
IdPs do: tokens already handed out must keep verifying until they expire.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from joserfc.jwk import ECKey, KeySet, OKPKey, RSAKey

#: Algorithms a client may be configured with, in the order they are published.
SIGNING_ALGS = ("RS256", "ES256", "EdDSA")

_JWK_CLASSES = {"RS256": RSAKey, "ES256": ECKey, "EdDSA": OKPKey}


def generate_private_key(alg: str):
    """A fresh private key (a `cryptography` object) for a JWS algorithm."""
    if alg == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=2048)
    if alg == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if alg == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(f"unsupported signing alg {alg!r}; use one of {', '.join(SIGNING_ALGS)}")


def raw_sign(alg: str, private_key, signing_input: bytes) -> bytes:
    """Sign a JWS signing input exactly as RFC 7518/8037 lay the bytes out.

    Written out by hand (rather than through joserfc) because /test/mint must
    also produce tokens no JOSE library is willing to create; using the same
    primitive for the honest tokens keeps the two paths comparable.
    """
    if alg == "RS256":
        return private_key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    if alg == "ES256":
        # JWS wants the fixed-width R || S form, not the DER that OpenSSL emits.
        r, s = decode_dss_signature(private_key.sign(signing_input, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    if alg == "EdDSA":
        return private_key.sign(signing_input)
    raise ValueError(f"unsupported signing alg {alg!r}")


@dataclass(frozen=True)
class SigningKey:
    """One published key: the raw private key plus its joserfc JWK twin."""

    alg: str
    kid: str
    private_key: object
    jwk: object  # joserfc RSAKey / ECKey / OKPKey holding the private part

    @classmethod
    def generate(cls, alg: str, kid: str | None = None) -> "SigningKey":
        private_key = generate_private_key(alg)
        kid = kid or f"{alg.lower()}-{secrets.token_hex(6)}"
        jwk = _JWK_CLASSES[alg].import_key(private_key, {"kid": kid, "alg": alg, "use": "sig"})
        return cls(alg=alg, kid=kid, private_key=private_key, jwk=jwk)

    def public_jwk(self) -> dict:
        """The JWKS entry: public members only, with kid, alg and use."""
        return self.jwk.as_dict(private=False)

    def public_pem(self) -> bytes:
        """SubjectPublicKeyInfo PEM of the public key (used by the HS256 confusion attack)."""
        return self.private_key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


class KeyStore:
    """Thread-safe set of published keys with one current signer per algorithm."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._published: list[SigningKey] = []
        self._current: dict[str, SigningKey] = {}
        for alg in SIGNING_ALGS:
            self.rotate(alg)

    def current(self, alg: str) -> SigningKey:
        with self._lock:
            try:
                return self._current[alg]
            except KeyError:
                raise ValueError(f"unsupported signing alg {alg!r}") from None

    def key_set(self, alg: str) -> KeySet:
        """A one-key KeySet for Authlib: joserfc copies the key's kid into the JWT header
        only when it picks the key out of a KeySet, so a bare key would lose the kid."""
        return KeySet([self.current(alg).jwk])

    def rotate(self, alg: str, drop_old: bool = False) -> tuple[SigningKey, list[str]]:
        """Make a new current key for `alg`; returns it and the kids that were unpublished."""
        key = SigningKey.generate(alg)  # slow part (RSA), done outside the lock
        with self._lock:
            dropped: list[str] = []
            if drop_old:
                dropped = [k.kid for k in self._published if k.alg == alg]
                self._published = [k for k in self._published if k.alg != alg]
            self._published.append(key)
            self._current[alg] = key
        return key, dropped

    def jwks(self) -> dict:
        with self._lock:
            return {"keys": [k.public_jwk() for k in self._published]}
