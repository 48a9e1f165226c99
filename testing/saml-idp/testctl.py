"""/test/* control endpoints of the SAML IdP, for tests only (the server binds loopback only): register service
providers, add users, choose what is signed, and log a user in to an AuthnRequest without a browser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from flask import Blueprint, jsonify, request

from identity import SIGN_MODES, SAMLIdentityProvider, UnknownUser, User


def _error(description: str, status: int = 400, error: str = "invalid_request"):
    return jsonify({"error": error, "error_description": description}), status


def _string(body: dict, key: str, required: bool = True) -> str | None:
    value = body.get(key)
    if value is None and not required:
        return None
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key} must be a non-empty string")
    return value


def create_test_blueprint(idp: SAMLIdentityProvider) -> Blueprint:
    blueprint = Blueprint("test", __name__, url_prefix="/test")

    @blueprint.errorhandler(ValueError)
    def bad_value(exc: ValueError):
        return _error(str(exc))

    @blueprint.get("/info")
    def info():
        return jsonify(
            {
                "entity_id": idp.entity_id,
                "sso_url": idp.sso_url,
                "metadata_url": f"{idp.base_url}/metadata",
                "certificate_pem": idp.certificate_pem,
                "sign": idp.sign_mode,
                "service_providers": idp.service_providers,
                "users": [user.to_json() for user in idp.users.values()],
            }
        )

    @blueprint.post("/service-providers")
    def add_service_provider():
        body = request.get_json(force=True)
        entity_id, acs_url = _string(body, "entity_id"), _string(body, "acs_url")
        idp.add_service_provider(entity_id, acs_url)
        return jsonify({"entity_id": entity_id, "acs_url": acs_url})

    @blueprint.post("/users")
    def add_user():
        body = request.get_json(force=True)
        groups = body.get("groups", [])
        if not isinstance(groups, list) or not all(isinstance(group, str) for group in groups):
            raise ValueError("groups must be a list of strings")
        user = User(_string(body, "username"), _string(body, "password"), groups, _string(body, "email", False))
        idp.add_user(user)
        return jsonify(user.to_json())

    @blueprint.post("/sign")
    def choose_signing():
        mode = request.get_json(force=True).get("sign")
        if mode not in SIGN_MODES:
            raise ValueError(f"sign must be one of {', '.join(SIGN_MODES)}")
        idp.sign_mode = mode
        return jsonify({"sign": mode})

    @blueprint.post("/login")
    def log_in():
        """What the login form does, without a browser: `{redirect_url, username, password?}`, where redirect_url is
        the SSO URL the SP sent the browser to.  Answers `{acs_url, saml_response, relay_state}`: the fields the
        browser would post to the ACS URL.  Without a password the user is logged in as if it were right."""
        body = request.get_json(force=True)
        query = parse_qs(urlsplit(_string(body, "redirect_url")).query)
        saml_request = query.get("SAMLRequest", [""])[0]
        try:
            answer = idp.parse_redirect_request(saml_request)
        except Exception as exc:  # pysaml2 raises many types for a bad or unknown request.
            return _error(f"bad AuthnRequest: {exc}")
        try:
            user = idp.authenticate(_string(body, "username"), _string(body, "password", False))
        except UnknownUser:
            return _error("unknown user or wrong password", 401, "access_denied")
        saml_response = idp.respond(user, answer["sp_entity_id"], answer["destination"], answer["in_response_to"])
        return jsonify(
            {
                "acs_url": answer["destination"],
                "saml_response": saml_response,
                "relay_state": query.get("RelayState", [""])[0],
                "in_response_to": answer["in_response_to"],
            }
        )

    @blueprint.post("/unsolicited")
    def unsolicited():
        """An IdP-initiated response (no AuthnRequest): `{sp_entity_id, username, in_response_to?}`."""
        body = request.get_json(force=True)
        sp_entity_id = _string(body, "sp_entity_id")
        acs_url = idp.service_providers.get(sp_entity_id)
        if acs_url is None:
            return _error(f"unknown service provider {sp_entity_id}", 404, "not_found")
        try:
            user = idp.authenticate(_string(body, "username"), None)
        except UnknownUser:
            return _error("unknown user", 404, "not_found")
        saml_response = idp.respond(user, sp_entity_id, acs_url, _string(body, "in_response_to", False))
        return jsonify({"acs_url": acs_url, "saml_response": saml_response})

    return blueprint
