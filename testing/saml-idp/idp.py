#!/usr/bin/env python3
"""A real SAML 2.0 identity provider (pysaml2) for hoopctl's tests and demo.

The broker is a SAML service provider that verifies signed responses with libxmlsec1; this IdP produces them with a
different implementation (pysaml2, signing through the xmlsec1 binary), so the broker is tested against a genuine
protocol peer rather than its own fixtures.  A browser logs in through /sso/redirect (HTTP-Redirect AuthnRequest,
login form, auto-posted HTTP-POST response); tests drive the same path without a browser through /test/*.

    python3 testing/saml-idp/idp.py --port 9500 [--host 127.0.0.1] [--verbose]

Prints "saml-idp ready <base-url>" on stdout once listening (use --port 0 for a free port; the line then carries the
real one).  State is in memory only; each start has a fresh signing key.
"""

from __future__ import annotations

import argparse
import html
import ipaddress
import logging
import os
import secrets
import sys
import threading

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import HTTPException
from werkzeug.serving import make_server

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "serving"))
from graceful import stop_on_signals  # noqa: E402

from identity import SAMLIdentityProvider, UnknownUser
from testctl import create_test_blueprint


class PendingLogins:
    """AuthnRequests waiting for the user to log in, by an opaque key the login form carries."""

    def __init__(self):
        self._lock = threading.Lock()
        self._pending: dict[str, dict] = {}

    def add(self, answer: dict) -> str:
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._pending[key] = answer
        return key

    def take(self, key: str) -> dict | None:
        with self._lock:
            return self._pending.pop(key, None)


def create_app(idp: SAMLIdentityProvider) -> Flask:
    app = Flask(__name__)
    pending = PendingLogins()
    app.register_blueprint(create_test_blueprint(idp))

    @app.errorhandler(HTTPException)
    def json_http_error(exc: HTTPException):
        error = (exc.name or "error").lower().replace(" ", "_")
        return jsonify({"error": error, "error_description": exc.description}), exc.code

    @app.get("/metadata")
    def metadata():
        return Response(idp.metadata_xml, mimetype="application/samlmetadata+xml")

    @app.get("/sso/redirect")
    def single_sign_on():
        try:
            answer = idp.parse_redirect_request(request.args.get("SAMLRequest", ""))
        except Exception as exc:  # pysaml2 raises many types for a bad or unknown request.
            return _page(f"<p>Bad AuthnRequest: {html.escape(str(exc))}</p>"), 400
        answer["relay_state"] = request.args.get("RelayState", "")
        return _login_form(pending.add(answer))

    @app.post("/sso/login")
    def log_in():
        form = request.form
        answer = pending.take(form.get("key", ""))
        if answer is None:
            return _page("<p>Unknown or used login.</p>"), 400
        try:
            user = idp.authenticate(form.get("username", ""), form.get("password", ""))
        except UnknownUser:
            # A failed password keeps the login pending for another try.
            return _login_form(pending.add(answer), "Wrong username or password."), 401
        saml_response = idp.respond(user, answer["sp_entity_id"], answer["destination"], answer["in_response_to"])
        return _auto_post(answer["destination"], saml_response, answer["relay_state"])

    return app


def _page(body: str) -> str:
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>hoop test SAML IdP</title></head>"
        f"<body>{body}</body></html>"
    )


def _login_form(key: str, message: str = "") -> str:
    note = f"<p><strong>{html.escape(message)}</strong></p>" if message else ""
    return _page(
        f"""<h1>Log in</h1>{note}
<form method="post" action="/sso/login">
<input type="hidden" name="key" value="{html.escape(key)}">
<p><label>Username <input name="username" autocomplete="username" required></label></p>
<p><label>Password <input name="password" type="password" autocomplete="current-password" required></label></p>
<p><button type="submit">Log in</button></p>
</form>"""
    )


def _auto_post(destination: str, saml_response: str, relay_state: str) -> str:
    """The HTTP-POST binding: a form the browser submits to the SP's ACS URL on load."""
    return _page(
        f"""<form id="saml" method="post" action="{html.escape(destination)}">
<input type="hidden" name="SAMLResponse" value="{html.escape(saml_response)}">
<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">
<noscript><button type="submit">Continue</button></noscript>
</form><script>document.getElementById("saml").submit()</script>"""
    )


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="SAML 2.0 identity provider (pysaml2) for hoopctl tests and demo")
    parser.add_argument("--port", type=int, default=9500, help="0 picks a free port")
    parser.add_argument("--host", default="127.0.0.1", help="loopback address to bind")
    parser.add_argument("--verbose", action="store_true", help="log every request")
    args = parser.parse_args(argv)
    try:
        loopback = args.host == "localhost" or ipaddress.ip_address(args.host).is_loopback
    except ValueError:
        loopback = False
    if not loopback:
        # /test/login issues a signed login for any user without a password; never expose it.
        parser.error("--host must be a loopback address")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(message)s")
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.ERROR)
    # pysaml2 logs every signing at INFO and warns about unsigned requests; the console stays quiet.
    logging.getLogger("saml2").setLevel(logging.INFO if args.verbose else logging.ERROR)
    try:
        # Bind first so that --port 0 is resolved before the entity id is fixed.
        httpd = make_server(args.host, args.port, lambda environ, start_response: [], threaded=True)
    except OSError as exc:
        print(f"saml-idp: {exc}", file=sys.stderr)
        return 2
    host = f"[{args.host}]" if ":" in args.host else args.host
    base_url = f"http://{host}:{httpd.server_port}"
    try:
        idp = SAMLIdentityProvider(base_url)
    except RuntimeError as exc:
        print(f"saml-idp: {exc}", file=sys.stderr)
        httpd.server_close()
        return 2
    httpd.app = create_app(idp)
    try:
        stop_on_signals(httpd)
        print(f"saml-idp ready {base_url}", flush=True)
        httpd.serve_forever()
    finally:
        httpd.server_close()
        idp.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
