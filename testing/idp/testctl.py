"""Test-control endpoints under /test: shape clients, drive the device flow,
rotate keys, read counters, and mint hostile tokens.

These exist so the broker's tests can set up exactly the situation they need
without a browser and can check how it reacts to forged tokens.  They are only
answered for loopback callers.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import secrets
import time

from flask import Blueprint, jsonify, request

from keys import SIGNING_ALGS, KeyStore, SigningKey, raw_sign
from models import Client, Store, User

MINT_MODES = (*SIGNING_ALGS, "none", "HS256-with-rsa-public-key", "unknown-kid")


class BadRequest(Exception):
    """Raised by helpers; turned into a 400 JSON error."""


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_json(value: dict) -> str:
    return b64url(json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8"))


def mint_token(body: dict, keys: KeyStore, issuer: str) -> dict:
    """Build a compact JWS by hand from arbitrary claims.

    Libraries refuse to produce alg=none, HMAC-with-a-public-key or tampered
    tokens, which are exactly what a verifier must be tested against, so the
    three segments are assembled here byte by byte.
    """
    claims_in = body.get("claims", {})
    if not isinstance(claims_in, dict):
        raise BadRequest("'claims' must be a JSON object")
    mode = body.get("alg", "RS256")
    if mode not in MINT_MODES:
        raise BadRequest(f"'alg' must be one of {', '.join(MINT_MODES)}")

    # Defaults only for keys the caller left out; a null value removes a claim.
    now = int(time.time())
    claims = {"iss": issuer, "iat": now, "exp": now + 300, "nbf": now}
    claims.update(claims_in)
    claims = {k: v for k, v in claims.items() if v is not None}

    if mode == "none":
        header, secret_alg, signer = {"alg": "none"}, None, None
    elif mode == "HS256-with-rsa-public-key":
        # Algorithm confusion: a verifier that takes alg from the header and
        # uses "the key for this kid" as an HMAC secret would accept this.
        rsa_key = keys.current("RS256")
        header, secret_alg, signer = {"alg": "HS256", "kid": rsa_key.kid}, "HS256", rsa_key
    elif mode == "unknown-kid":
        stranger = SigningKey.generate("RS256", kid=f"unknown-{secrets.token_hex(6)}")
        header, secret_alg, signer = {"alg": "RS256", "kid": stranger.kid}, "RS256", stranger
    else:
        key = keys.current(mode)
        header, secret_alg, signer = {"alg": mode, "kid": key.kid}, mode, key

    # typ defaults to RFC 9068's at+jwt, except for alg=none whose header is
    # kept bare; "typ": null / "kid": null drop the member.
    typ = body.get("typ", None if mode == "none" else "at+jwt")
    if typ is not None:
        header["typ"] = typ
    if "kid" in body:
        header.pop("kid", None)
        if body["kid"] is not None:
            header["kid"] = body["kid"]

    signing_input = f"{b64url_json(header)}.{b64url_json(claims)}"
    if secret_alg is None:
        signature = b""
    elif secret_alg == "HS256":
        signature = hmac.new(signer.public_pem(), signing_input.encode("ascii"), hashlib.sha256).digest()
    else:
        signature = raw_sign(secret_alg, signer.private_key, signing_input.encode("ascii"))

    if body.get("tamper"):
        # Change the payload after signing and keep the old signature.
        original_sub = claims.get("sub")
        claims["sub"] = f"{original_sub}-tampered" if isinstance(original_sub, str) else "tampered"
        signing_input = f"{b64url_json(header)}.{b64url_json(claims)}"

    return {"token": f"{signing_input}.{b64url(signature)}", "header": header, "claims": claims}


def _json_body() -> dict:
    # Lenient about Content-Type: a test that forgets the header still means JSON.
    body = request.get_json(force=True, silent=True)
    if body is None and request.get_data():
        raise BadRequest("body must be JSON")
    body = body if body is not None else {}
    if not isinstance(body, dict):
        raise BadRequest("body must be a JSON object")
    return body


def _error(status: int, error: str, description: str):
    return jsonify({"error": error, "error_description": description}), status


def create_test_blueprint(store: Store, keys: KeyStore, issuer: str) -> Blueprint:
    bp = Blueprint("test", __name__, url_prefix="/test")

    @bp.before_request
    def loopback_only():
        try:
            loopback = ipaddress.ip_address(request.remote_addr or "").is_loopback
        except ValueError:
            loopback = False
        if not loopback:
            return _error(403, "forbidden", "test-control endpoints answer loopback callers only")
        return None

    @bp.errorhandler(BadRequest)
    def bad_request(exc):
        return _error(400, "invalid_request", str(exc))

    @bp.post("/clients")
    def put_client():
        try:
            client = Client.from_json(_json_body())
        except ValueError as exc:
            raise BadRequest(str(exc)) from None
        return jsonify(store.put_client(client).to_json())

    @bp.post("/device/approve")
    def approve_device():
        body = _json_body()
        user_code = body.get("user_code")
        if not isinstance(user_code, str) or not user_code:
            raise BadRequest("'user_code' is required")
        deny = bool(body.get("deny", False))
        user = None
        if not deny:
            try:
                user = User.from_json(body.get("subject"), body.get("email"), body.get("groups"))
            except ValueError as exc:
                raise BadRequest(str(exc)) from None
        canonical = store.decide(user_code, user, approved=not deny)
        if canonical is None:
            return _error(404, "not_found", "no pending device authorization for that user_code")
        return jsonify({
            "user_code": canonical,
            "approved": not deny,
            "user": user.to_json() if user else None,
        })

    @bp.post("/device/slow_down")
    def slow_down():
        count = _json_body().get("count", 1)
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise BadRequest("'count' must be a non-negative integer")
        store.set_slow_down(count)
        return jsonify({"slow_down_remaining": count})

    @bp.post("/device/expire")
    def expire_device():
        user_code = _json_body().get("user_code")
        canonical = store.expire_device(user_code) if isinstance(user_code, str) else None
        if canonical is None:
            return _error(404, "not_found", "no pending device authorization for that user_code")
        return jsonify({"user_code": canonical, "expired": True})

    @bp.post("/mint")
    def mint():
        return jsonify(mint_token(_json_body(), keys, issuer))

    @bp.post("/rotate")
    def rotate():
        body = _json_body()
        alg = body.get("alg", "RS256")
        if alg not in SIGNING_ALGS:
            raise BadRequest(f"'alg' must be one of {', '.join(SIGNING_ALGS)}")
        key, dropped = keys.rotate(alg, drop_old=bool(body.get("drop_old", False)))
        return jsonify({"kid": key.kid, "alg": alg, "dropped_kids": dropped})

    @bp.get("/stats")
    def stats():
        return jsonify(store.stats())

    return bp
