#!/usr/bin/env python3
"""A real, small OIDC/OAuth2 identity provider for hoopctl's tests and demo.

The broker verifies RFC 9068 JWT access tokens against an issuer's JWKS; this
IdP issues them through Authlib's server components (client credentials,
RFC 8628 device flow, authorization code with PKCE for browser logins, refresh), so the broker is tested against a genuine
protocol peer rather than hand-written fixtures.  /test/* endpoints let tests
pick groups/audience, approve device logins without a browser, rotate keys and
mint forged tokens.

    python3 testing/idp/idp.py --port 9400 [--host 127.0.0.1] [--issuer URL]
        [--device-interval SECONDS] [--clients FILE.json] [--verbose]

Prints "idp ready <issuer>" on stdout once listening (use --port 0 for a free
port; the line then carries the real one).  State is in memory only.
"""

from __future__ import annotations

import argparse
import html
import ipaddress
import json
import logging
import os
import sys

from flask import Flask, jsonify, request
from authlib.oauth2 import OAuth2Error
from werkzeug.exceptions import HTTPException
from werkzeug.serving import make_server

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "serving"))
from graceful import stop_on_signals  # noqa: E402

from keys import SIGNING_ALGS, KeyStore
from models import Client, Store, User
from oauth import IdpAuthorizationServer
from testctl import create_test_blueprint

DEFAULT_CLIENTS = [
    # The CLI logs people in with the device flow: a public client, no secret.
    {"client_id": "hoopctl", "groups": [], "audience": "hoop"},
    # Automation authenticates as itself with client credentials.
    {
        "client_id": "ci-agent",
        "client_secret": "ci-agent-secret",
        "groups": ["agents"],
        "audience": "hoop",
        "subject": "ci-agent",
    },
    # The broker's approver page logs people in through the browser: a public client with PKCE, whose redirect
    # URIs are the broker's callback at the demo's addresses (tests register their own through /test/clients).
    {
        "client_id": "hoop-web",
        "groups": [],
        "audience": "hoop",
        "redirect_uris": ["https://127.0.0.1:8443/login/callback", "https://localhost:8443/login/callback"],
    },
]


def discovery_document(issuer: str) -> dict:
    return {
        "issuer": issuer,
        "jwks_uri": f"{issuer}/jwks",
        "authorization_endpoint": f"{issuer}/authorize",
        "token_endpoint": f"{issuer}/oauth/token",
        "device_authorization_endpoint": f"{issuer}/oauth/device_authorization",
        "grant_types_supported": [
            "authorization_code",
            "client_credentials",
            "urn:ietf:params:oauth:grant-type:device_code",
            "refresh_token",
        ],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post", "none"],
        "id_token_signing_alg_values_supported": list(SIGNING_ALGS),
        # Browser logins use the code flow only (no implicit or hybrid tokens in URLs).
        "response_types_supported": ["code"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": ["openid", "email", "profile", "offline_access"],
        "subject_types_supported": ["public"],
    }


def create_app(issuer: str, device_interval: int, clients: list[dict]) -> Flask:
    """Build the Flask app with fresh keys and the given preloaded clients."""
    app = Flask(__name__)
    store = Store()
    keys = KeyStore()
    for data in clients:
        store.put_client(Client.from_json(data))
    server = IdpAuthorizationServer(app, store, keys, issuer, device_interval)
    app.register_blueprint(create_test_blueprint(store, keys, issuer))

    @app.errorhandler(HTTPException)
    def json_http_error(exc: HTTPException):
        # "JSON everywhere": unknown paths and wrong methods too.
        error = (exc.name or "error").lower().replace(" ", "_")
        return jsonify({"error": error, "error_description": exc.description}), exc.code

    @app.get("/.well-known/openid-configuration")
    def openid_configuration():
        return jsonify(discovery_document(issuer))

    @app.get("/jwks")
    def jwks():
        store.count("jwks_fetches")
        return jsonify(keys.jwks())

    @app.post("/oauth/device_authorization")
    def device_authorization():
        return server.create_endpoint_response("device_authorization")

    @app.post("/oauth/token")
    def token():
        store.count("token_requests")
        return server.create_token_response()

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize():
        # The authorization endpoint: the request is checked first (client, exact redirect URI, PKCE S256), and
        # only a valid one gets the login form; its answer goes back to the client's redirect URI.
        try:
            grant = server.get_consent_grant(request)
        except OAuth2Error as error:
            if error.redirect_uri:
                # RFC 6749 §4.1.2.1: with a registered redirect URI the client hears about the error there...
                return server.handle_error_response(request, error)
            # ...and without one the user sees it here, never redirected to an unregistered address.
            return _authorize_form("", f"Invalid authorization request: {error.error}: {error.description}"), 400
        if request.method == "GET":
            return _authorize_form(request.query_string.decode("ascii"))
        user = None
        if request.form.get("action", "login") != "deny":
            groups = [g.strip() for g in request.form.get("groups", "").split(",") if g.strip()]
            try:
                user = User.from_json(request.form.get("username", "").strip(), request.form.get("email", "").strip(), groups)
            except ValueError:
                return _authorize_form(request.query_string.decode("ascii"), "A username is required."), 400
        return server.create_authorization_response(request, grant_user=user, grant=grant)

    @app.route("/device", methods=["GET", "POST"])
    def device_page():
        # Stands in for the browser login a real IdP would show.
        if request.method == "GET":
            return _device_form(request.args.get("user_code", ""))
        form = request.form
        user_code = form.get("user_code", "")
        approve = form.get("action", "approve") != "deny"
        user = None
        if approve:
            groups = [g.strip() for g in form.get("groups", "").split(",") if g.strip()]
            try:
                user = User.from_json(form.get("username", "").strip(), form.get("email", "").strip(), groups)
            except ValueError:
                return _device_form(user_code, "A username is required."), 400
        if not store.decide(user_code, user, approved=approve):
            return _device_form(user_code, "Unknown or expired code."), 404
        verdict = f"approved for {html.escape(user.subject)}" if user else "denied"
        return _page(f"<p>Device login {verdict}. You can return to your terminal.</p>")

    return app


def _page(body: str) -> str:
    return f"<!doctype html><html><head><meta charset='utf-8'><title>hoop test IdP</title></head><body>{body}</body></html>"


def _device_form(user_code: str, message: str = "") -> str:
    note = f"<p><strong>{html.escape(message)}</strong></p>" if message else ""
    return _page(
        f"""<h1>Device login</h1>{note}
<form method="post" action="/device">
<p><label>Code <input name="user_code" value="{html.escape(user_code)}" required></label></p>
<p><label>Username <input name="username"></label></p>
<p><label>Email <input name="email" type="email"></label></p>
<p><label>Groups (comma-separated) <input name="groups"></label></p>
<p><button name="action" value="approve">Approve</button> <button name="action" value="deny">Deny</button></p>
</form>"""
    )


def _authorize_form(query: str, message: str = "") -> str:
    note = f"<p><strong>{html.escape(message)}</strong></p>" if message else ""
    if not query:
        return _page(f"<h1>Log in</h1>{note}")
    return _page(
        f"""<h1>Log in</h1>{note}
<form method="post" action="/authorize?{html.escape(query)}">
<p><label>Username <input name="username" id="username" required></label></p>
<p><label>Email <input name="email" id="email" type="email"></label></p>
<p><label>Groups (comma-separated) <input name="groups" id="groups"></label></p>
<p><button name="action" value="login" id="login">Log in</button> <button name="action" value="deny" formnovalidate>Cancel</button></p>
</form>"""
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="OIDC/OAuth2 identity provider for hoopctl tests and demo")
    parser.add_argument("--port", type=int, default=9400, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--issuer", help="issuer URL (default http://HOST:PORT)")
    parser.add_argument("--device-interval", type=int, default=5, help="device-flow poll interval, seconds")
    parser.add_argument("--clients", help="JSON file with a list of client objects to preload")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    if args.device_interval < 0:
        parser.error("--device-interval must be >= 0")
    try:
        loopback = args.host == "localhost" or ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        # The /test endpoints can forge identities; never expose them.
        parser.error("--host must be a loopback address")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    # Werkzeug logs each request at INFO; tests and the demo want a quiet console.
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.ERROR)

    try:
        clients = DEFAULT_CLIENTS
        if args.clients:
            with open(args.clients, encoding="utf-8") as f:
                clients = json.load(f)
            if not isinstance(clients, list):
                raise ValueError("--clients must hold a JSON list of client objects")
        # Bind first so that --port 0 is resolved before the issuer is fixed;
        # the real app is swapped in before any request is served.
        httpd = make_server(args.host, args.port, lambda environ, start_response: [], threaded=True)
    except (OSError, ValueError) as exc:
        print(f"idp: {exc}", file=sys.stderr)
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    issuer = (args.issuer or f"http://{host}:{httpd.server_port}").rstrip("/")
    try:
        httpd.app = create_app(issuer, args.device_interval, clients)
    except ValueError as exc:
        print(f"idp: bad client configuration: {exc}", file=sys.stderr)
        httpd.server_close()
        return 2

    try:
        stop_on_signals(httpd)
        print(f"idp ready {issuer}", flush=True)
        httpd.serve_forever()
    finally:
        httpd.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
