"""End-to-end checks of the test IdP: start it as a real process on a free
port and drive every endpoint over HTTP, the way the Swift client will.

    python3 -m pytest testing/idp/test_idp.py -q
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import selectors
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

pytestmark = pytest.mark.filterwarnings("ignore::joserfc.errors.SecurityWarning")

IDP = os.path.join(os.path.dirname(os.path.abspath(__file__)), "idp.py")
DEVICE_GRANT = "urn:ietf:params:oauth:grant-type:device_code"


def start_idp(*args: str, port: int = 0, timeout: float = 10.0) -> tuple[subprocess.Popen, str]:
    """Start idp.py (port 0: a free one); return the process and its issuer."""
    proc = subprocess.Popen(
        [sys.executable, IDP, "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    selector = selectors.DefaultSelector()
    selector.register(proc.stdout, selectors.EVENT_READ)
    if not selector.select(timeout):
        proc.kill()
        raise AssertionError(f"idp did not get ready in {timeout}s: {proc.stderr.read()}")
    line = proc.stdout.readline().strip()
    assert line.startswith("idp ready "), line
    return proc, line.removeprefix("idp ready ")


def stop_idp(proc: subprocess.Popen) -> int:
    proc.send_signal(signal.SIGTERM)
    try:
        return proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        raise AssertionError(f"idp ignored SIGTERM: {proc.stderr.read()}")


@pytest.fixture(scope="module")
def idp():
    proc, issuer = start_idp("--device-interval", "0")
    yield Idp(issuer)
    assert stop_idp(proc) == 0


def b64decode(segment: str) -> bytes:
    return base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))


def segments(token: str) -> tuple[dict, dict, bytes]:
    header, payload, signature = token.split(".")
    return json.loads(b64decode(header)), json.loads(b64decode(payload)), b64decode(signature)


class Idp:
    """A tiny HTTP client for the IdP under test."""

    def __init__(self, issuer: str):
        self.issuer = issuer

    def call(self, path, json_body=None, form=None, auth=None, method=None):
        headers, data = {}, None
        if json_body is not None:
            data, headers["Content-Type"] = json.dumps(json_body).encode(), "application/json"
        if form is not None:
            data = urllib.parse.urlencode(form).encode()
        if auth is not None:
            headers["Authorization"] = "Basic " + base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
        request = urllib.request.Request(self.issuer + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def json(self, path, **kwargs):
        status, body = self.call(path, **kwargs)
        return status, json.loads(body)

    def key_set(self) -> KeySet:
        return KeySet.import_key_set(self.json("/jwks")[1])

    def verify(self, token: str, alg: str):
        return jwt.decode(token, self.key_set(), algorithms=[alg])

    def token(self, **form):
        return self.json("/oauth/token", form=form, auth=form.pop("_auth", None))

    def device_start(self, client_id="hoopctl", scope="openid"):
        status, body = self.json("/oauth/device_authorization", form={"client_id": client_id, "scope": scope})
        assert status == 200, body
        return body

    def device_poll(self, device_code, client_id="hoopctl"):
        return self.token(grant_type=DEVICE_GRANT, client_id=client_id, device_code=device_code)


def test_discovery(idp):
    status, doc = idp.json("/.well-known/openid-configuration")
    assert status == 200
    assert doc["issuer"] == idp.issuer
    assert doc["jwks_uri"] == f"{idp.issuer}/jwks"
    assert doc["token_endpoint"] == f"{idp.issuer}/oauth/token"
    assert doc["device_authorization_endpoint"] == f"{idp.issuer}/oauth/device_authorization"
    assert doc["authorization_endpoint"] == f"{idp.issuer}/authorize"
    assert set(doc["grant_types_supported"]) == {
        "authorization_code", "client_credentials", DEVICE_GRANT, "refresh_token"}
    assert doc["response_types_supported"] == ["code"]
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {"client_secret_basic", "client_secret_post", "none"}
    assert doc["id_token_signing_alg_values_supported"] == ["RS256", "ES256", "EdDSA"]
    assert doc["response_types_supported"] and doc["subject_types_supported"] == ["public"]


def test_jwks_has_three_public_keys(idp):
    keys = idp.json("/jwks")[1]["keys"]
    by_alg = {k["alg"]: k for k in keys}
    assert {"RS256", "ES256", "EdDSA"} <= set(by_alg)
    assert by_alg["RS256"]["kty"] == "RSA" and by_alg["ES256"]["crv"] == "P-256"
    assert by_alg["EdDSA"]["kty"] == "OKP" and by_alg["EdDSA"]["crv"] == "Ed25519"
    for key in keys:
        assert key["use"] == "sig" and key["kid"]
        assert not {"d", "p", "q", "dp", "dq", "qi"} & set(key), "private material leaked"


@pytest.mark.parametrize("how", ["basic", "post"])
def test_client_credentials(idp, how):
    form = {"grant_type": "client_credentials", "scope": "read"}
    if how == "basic":
        form["_auth"] = ("ci-agent", "ci-agent-secret")
    else:
        form.update(client_id="ci-agent", client_secret="ci-agent-secret")
    status, body = idp.token(**form)
    assert status == 200, body
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600 and "refresh_token" not in body
    token = idp.verify(body["access_token"], "RS256")
    assert token.header["typ"] == "at+jwt" and token.header["kid"]
    claims = token.claims
    assert claims["iss"] == idp.issuer and claims["aud"] == "hoop" and claims["sub"] == "ci-agent"
    assert claims["client_id"] == "ci-agent" and claims["groups"] == ["agents"] and claims["scope"] == "read"
    assert claims["nbf"] == claims["iat"] and claims["exp"] - claims["iat"] == 3600 and claims["jti"]
    assert "email" not in claims


def test_client_credentials_rejects_bad_clients(idp):
    status, body = idp.token(grant_type="client_credentials", _auth=("ci-agent", "wrong"))
    assert (status, body["error"]) == (401, "invalid_client")
    status, body = idp.token(grant_type="client_credentials", client_id="hoopctl")
    assert (status, body["error"]) == (401, "invalid_client")


@pytest.mark.parametrize("alg", ["ES256", "EdDSA"])
def test_configured_client_alg_audience_and_ttl(idp, alg):
    client = {"client_id": f"svc-{alg}", "client_secret": "s3", "groups": ["a", "b"], "audience": "other",
              "subject": "svc", "email": "svc@example.com", "alg": alg, "access_token_ttl": 90}
    status, echoed = idp.json("/test/clients", json_body=client)
    assert status == 200 and echoed["public"] is False and echoed["alg"] == alg
    status, body = idp.token(grant_type="client_credentials", _auth=(client["client_id"], "s3"))
    assert status == 200 and body["expires_in"] == 90
    token = idp.verify(body["access_token"], alg)
    assert token.header["alg"] == alg
    assert token.claims["aud"] == "other" and token.claims["sub"] == "svc"
    assert token.claims["groups"] == ["a", "b"] and token.claims["email"] == "svc@example.com"
    assert token.claims["exp"] - token.claims["iat"] == 90


def test_device_flow_pending_slow_down_approve_refresh(idp):
    idp.json("/test/clients", json_body={"client_id": "cli", "audience": "hoop"})
    start = idp.device_start("cli", "openid profile")
    assert start["expires_in"] == 600 and start["interval"] == 0
    assert len(start["user_code"]) == 9 and start["user_code"][4] == "-"
    assert start["verification_uri"] == f"{idp.issuer}/device"
    assert start["verification_uri_complete"] == f"{idp.issuer}/device?user_code={start['user_code']}"

    assert idp.device_poll(start["device_code"], "cli") == (400, {"error": "authorization_pending"})
    assert idp.json("/test/device/slow_down", json_body={"count": 2}) == (200, {"slow_down_remaining": 2})
    assert idp.device_poll(start["device_code"], "cli")[1]["error"] == "slow_down"
    assert idp.device_poll(start["device_code"], "cli")[1]["error"] == "slow_down"
    assert idp.device_poll(start["device_code"], "cli")[1]["error"] == "authorization_pending"

    approval = {"user_code": start["user_code"].lower().replace("-", ""), "subject": "alice",
                "email": "alice@example.com", "groups": ["admins"]}
    status, body = idp.json("/test/device/approve", json_body=approval)
    assert status == 200 and body["user_code"] == start["user_code"] and body["approved"] is True

    status, body = idp.device_poll(start["device_code"], "cli")
    assert status == 200, body
    assert body["refresh_token"] and body["scope"] == "openid profile"
    claims = idp.verify(body["access_token"], "RS256").claims
    assert (claims["sub"], claims["email"], claims["groups"], claims["aud"]) == (
        "alice", "alice@example.com", ["admins"], "hoop")
    # A device code is good for exactly one token response.
    assert idp.device_poll(start["device_code"], "cli")[1]["error"] == "invalid_grant"

    # Refresh keeps the user but picks up the client's new audience and alg.
    idp.json("/test/clients", json_body={"client_id": "cli", "audience": ["hoop", "extra"], "alg": "EdDSA"})
    status, refreshed = idp.token(grant_type="refresh_token", client_id="cli", refresh_token=body["refresh_token"])
    assert status == 200, refreshed
    claims = idp.verify(refreshed["access_token"], "EdDSA").claims
    assert (claims["sub"], claims["groups"], claims["aud"]) == ("alice", ["admins"], ["hoop", "extra"])
    # Refresh tokens rotate: the old one is spent, the new one works.
    assert refreshed["refresh_token"] != body["refresh_token"]
    status, reused = idp.token(grant_type="refresh_token", client_id="cli", refresh_token=body["refresh_token"])
    assert (status, reused["error"]) == (400, "invalid_grant")
    status, _ = idp.token(grant_type="refresh_token", client_id="cli", refresh_token=refreshed["refresh_token"])
    assert status == 200


def test_device_flow_denied_expired_unknown(idp):
    denied = idp.device_start()
    assert idp.json("/test/device/approve", json_body={"user_code": denied["user_code"], "deny": True})[0] == 200
    assert idp.device_poll(denied["device_code"])[1]["error"] == "access_denied"

    expired = idp.device_start()
    assert idp.json("/test/device/expire", json_body={"user_code": expired["user_code"]})[0] == 200
    assert idp.device_poll(expired["device_code"]) == (400, {"error": "expired_token"})

    status, body = idp.json("/test/device/approve", json_body={"user_code": "BBBB-CCCC", "subject": "x"})
    assert status == 404 and body["error"] == "not_found"


def test_device_page_approves(idp):
    start = idp.device_start()
    status, page = idp.call(f"/device?user_code={start['user_code']}")
    assert status == 200 and "<form" in page and start["user_code"] in page
    status, page = idp.call("/device", form={"user_code": start["user_code"], "username": "carol",
                                             "groups": "ops, dev", "action": "approve"})
    assert status == 200 and "approved" in page
    status, body = idp.device_poll(start["device_code"])
    claims = idp.verify(body["access_token"], "RS256").claims
    assert claims["sub"] == "carol" and claims["groups"] == ["ops", "dev"]


@pytest.mark.parametrize("alg", ["RS256", "ES256", "EdDSA"])
def test_mint_signed(idp, alg):
    status, body = idp.json("/test/mint", json_body={"claims": {"sub": "bob", "aud": "hoop", "nbf": 5}, "alg": alg})
    assert status == 200
    token = idp.verify(body["token"], alg)
    assert token.header == {"alg": alg, "typ": "at+jwt", "kid": token.header["kid"]}
    claims = token.claims
    assert claims["iss"] == idp.issuer and claims["nbf"] == 5 and claims["exp"] - claims["iat"] == 300


def test_mint_attacks(idp):
    keys = idp.key_set()
    header, claims, signature = segments(idp.json("/test/mint", json_body={
        "claims": {"sub": "bob", "exp": None}, "alg": "none"})[1]["token"])
    assert header == {"alg": "none"} and signature == b"" and "exp" not in claims

    token = idp.json("/test/mint", json_body={"claims": {"sub": "bob"}, "alg": "HS256-with-rsa-public-key"})[1]["token"]
    header, _, signature = segments(token)
    assert header["alg"] == "HS256"
    rsa_pem = keys.get_by_kid(header["kid"]).as_pem(private=False)
    signing_input = token.rsplit(".", 1)[0].encode()
    assert hmac.compare_digest(signature, hmac.new(rsa_pem, signing_input, hashlib.sha256).digest())

    header, _, _ = segments(idp.json("/test/mint", json_body={"claims": {}, "alg": "unknown-kid"})[1]["token"])
    assert header["alg"] == "RS256" and header["kid"].startswith("unknown-")
    assert header["kid"] not in {k.kid for k in keys.keys}

    body = idp.json("/test/mint", json_body={"claims": {"sub": "bob"}, "tamper": True, "kid": "k1", "typ": "JWT"})[1]
    header, claims, _ = segments(body["token"])
    assert header["kid"] == "k1" and header["typ"] == "JWT" and claims["sub"] != "bob"

    body = idp.json("/test/mint", json_body={"claims": {"sub": "bob"}, "tamper": True})[1]
    with pytest.raises(BadSignatureError):
        idp.verify(body["token"], "RS256")

    assert idp.json("/test/mint", json_body={"alg": "HS512"})[0] == 400


def test_rotate(idp):
    status, body = idp.json("/test/rotate", json_body={"alg": "ES256"})
    assert status == 200 and body["alg"] == "ES256" and body["dropped_kids"] == []
    kids = [k["kid"] for k in idp.json("/jwks")[1]["keys"]]
    assert body["kid"] in kids and len([k for k in kids if k.startswith("es256")]) >= 2
    minted = idp.json("/test/mint", json_body={"claims": {}, "alg": "ES256"})[1]["token"]
    assert segments(minted)[0]["kid"] == body["kid"]

    status, dropped = idp.json("/test/rotate", json_body={"alg": "ES256", "drop_old": True})
    es_keys = [k for k in idp.json("/jwks")[1]["keys"] if k["alg"] == "ES256"]
    assert body["kid"] in dropped["dropped_kids"] and [k["kid"] for k in es_keys] == [dropped["kid"]]


def test_stats_count_jwks_and_token_requests(idp):
    before = idp.json("/test/stats")[1]
    idp.call("/jwks")
    idp.token(grant_type="client_credentials", _auth=("ci-agent", "ci-agent-secret"))
    idp.token(grant_type="client_credentials", _auth=("ci-agent", "wrong"))
    after = idp.json("/test/stats")[1]
    assert after == {"jwks_fetches": before["jwks_fetches"] + 1, "token_requests": before["token_requests"] + 2}


def test_clients_file_and_sigterm():
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump([{"client_id": "only", "client_secret": "pw", "groups": ["g"], "audience": "aud"}], f)
    try:
        port = _free_port()
        proc, issuer = start_idp("--clients", f.name, "--issuer", "http://idp.test:1/", port=port)
        try:
            assert issuer == "http://idp.test:1"
            local = Idp(f"http://127.0.0.1:{port}")
            assert local.json("/.well-known/openid-configuration")[1]["issuer"] == "http://idp.test:1"
            status, body = local.token(grant_type="client_credentials", _auth=("only", "pw"))
            assert status == 200 and segments(body["access_token"])[1]["aud"] == "aud"
            assert local.token(grant_type="client_credentials", _auth=("ci-agent", "ci-agent-secret"))[0] == 401
        finally:
            assert stop_idp(proc) == 0
        assert proc.stderr.read() == "", "default logging should be quiet"
    finally:
        os.unlink(f.name)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- authorization code with PKCE (the broker's approver page) ----------------------------------------------------

WEB_REDIRECT = "https://127.0.0.1:1/login/callback"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # the redirect is the answer under test; its target is not listening


def pkce_pair() -> tuple[str, str]:
    verifier = base64.urlsafe_b64encode(os.urandom(32)).rstrip(b"=").decode()
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def authorize(idp, query: dict, form: dict | None = None) -> tuple[int, dict, str]:
    """GET (form None) or POST /authorize; returns the status, the redirect's query (if any) and the body."""
    url = f"{idp.issuer}/authorize?{urllib.parse.urlencode(query)}"
    data = urllib.parse.urlencode(form).encode() if form is not None else None
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, data=data), timeout=5) as response:
            return response.status, {}, response.read().decode()
    except urllib.error.HTTPError as error:
        location = error.headers.get("Location") or ""
        query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        if location:
            assert location.startswith(WEB_REDIRECT + "?"), location
        return error.code, query, error.read().decode()


@pytest.fixture(scope="module")
def web_client(idp):
    status, body = idp.json(
        "/test/clients", json_body={"client_id": "web-test", "audience": "hoop", "redirect_uris": [WEB_REDIRECT]})
    assert status == 200 and body["public"] and body["redirect_uris"] == [WEB_REDIRECT], body
    return "web-test"


def code_query(client_id: str, challenge: str | None, **extra) -> dict:
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": WEB_REDIRECT,
             "scope": "openid email", "state": "state-1", "nonce": "nonce-1"}
    if challenge is not None:
        query |= {"code_challenge": challenge, "code_challenge_method": "S256"}
    return query | extra


def login(idp, query, username="alice", email="alice@example.com", groups="dba, ops"):
    status, answer, body = authorize(idp, query, {"username": username, "email": email, "groups": groups})
    assert status == 302, body
    return answer


def test_authorization_code_with_pkce_gives_access_and_id_tokens(idp, web_client):
    verifier, challenge = pkce_pair()
    status, _, page = authorize(idp, code_query(web_client, challenge))
    assert status == 200 and 'name="username"' in page and 'method="post"' in page
    answer = login(idp, code_query(web_client, challenge))
    assert answer["state"] == "state-1" and answer["code"]
    form = {"grant_type": "authorization_code", "code": answer["code"], "client_id": web_client,
            "redirect_uri": WEB_REDIRECT, "code_verifier": verifier}
    status, token = idp.token(**form)
    assert status == 200, token
    claims = idp.verify(token["access_token"], "RS256").claims
    assert claims["sub"] == "alice" and claims["groups"] == ["dba", "ops"] and claims["aud"] == "hoop"
    assert claims["email"] == "alice@example.com" and claims["client_id"] == web_client
    id_claims = idp.verify(token["id_token"], "RS256").claims
    assert id_claims["nonce"] == "nonce-1" and id_claims["aud"] == [web_client] and id_claims["sub"] == "alice"
    assert id_claims["iss"] == idp.issuer
    # A code is redeemed once.
    status, again = idp.token(**form)
    assert status == 400 and again["error"] == "invalid_grant"


def test_authorization_code_refuses_wrong_verifier_and_missing_pkce(idp, web_client):
    _, challenge = pkce_pair()
    answer = login(idp, code_query(web_client, challenge))
    other_verifier, _ = pkce_pair()
    status, token = idp.token(grant_type="authorization_code", code=answer["code"], client_id=web_client,
                              redirect_uri=WEB_REDIRECT, code_verifier=other_verifier)
    assert status == 400 and token["error"] == "invalid_grant"
    # A public client without a challenge, or with a "plain" one, gets no code at all.
    for query in (code_query(web_client, None),
                  code_query(web_client, challenge, code_challenge_method="plain")):
        status, answer, _ = authorize(idp, query, {"username": "alice"})
        assert status == 302 and answer["error"] == "invalid_request" and "code" not in answer


def test_authorization_code_refuses_unregistered_redirect_and_unknown_client(idp, web_client):
    _, challenge = pkce_pair()
    for query in (code_query(web_client, challenge, redirect_uri="https://evil.example/cb"),
                  code_query("no-such-client", challenge)):
        status, answer, body = authorize(idp, query)
        # Never redirected to an address the client did not register.
        assert status == 400 and answer == {} and "Invalid authorization request" in body
    # A client without redirect URIs (the CLI's device-flow client) cannot use the code flow.
    status, answer, _ = authorize(idp, code_query("hoopctl", challenge))
    assert status == 400


def test_authorization_code_cancel_and_code_bound_to_redirect(idp, web_client):
    verifier, challenge = pkce_pair()
    status, answer, _ = authorize(idp, code_query(web_client, challenge), {"action": "deny"})
    assert status == 302 and answer["error"] == "access_denied" and answer["state"] == "state-1"
    answer = login(idp, code_query(web_client, challenge))
    status, token = idp.token(grant_type="authorization_code", code=answer["code"], client_id=web_client,
                              redirect_uri="https://127.0.0.1:2/other", code_verifier=verifier)
    assert status == 400 and token["error"] == "invalid_grant"


def test_sigterm_while_requests_arrive_always_stops():
    # A signal that lands while the server dispatches a request must still stop it: an exception raised from the
    # handler there was once swallowed by the server's per-request error handling, leaving an unstoppable process.
    for _ in range(5):
        proc, issuer = start_idp()
        stop = threading.Event()

        def hammer():
            while not stop.is_set():
                try:
                    urllib.request.urlopen(issuer + "/jwks", timeout=2).read()
                except OSError:
                    pass

        workers = [threading.Thread(target=hammer) for _ in range(4)]
        for worker in workers:
            worker.start()
        try:
            time.sleep(0.2)
            assert stop_idp(proc) == 0
        finally:
            stop.set()
            for worker in workers:
                worker.join()
