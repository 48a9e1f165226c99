"""Tests of the test SAML IdP as a real process: the browser path (AuthnRequest, login form, auto-posted response),
the /test control, and that what it signs verifies with the xmlsec1 binary against the certificate it publishes."""

from __future__ import annotations

import base64
import datetime
import json
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import zlib
from pathlib import Path
from xml.etree import ElementTree

import pytest

HERE = Path(__file__).resolve().parent
SP_ENTITY = "https://broker.example.test/saml"
ACS_URL = "https://broker.example.test/saml/acs"
SAMLP = "{urn:oasis:names:tc:SAML:2.0:protocol}"
SAML = "{urn:oasis:names:tc:SAML:2.0:assertion}"
DS = "{http://www.w3.org/2000/09/xmldsig#}"


@pytest.fixture(scope="module")
def base_url():
    process = subprocess.Popen(
        [sys.executable, str(HERE / "idp.py"), "--port", "0"], stdout=subprocess.PIPE, text=True, cwd=HERE
    )
    line = process.stdout.readline()
    assert line.startswith("saml-idp ready "), line
    url = line.split()[-1]
    post_json(url, "/test/service-providers", {"entity_id": SP_ENTITY, "acs_url": ACS_URL})
    yield url
    process.terminate()
    assert process.wait(timeout=10) == 0


def request(url: str, data: bytes | None = None, headers: dict | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data, headers=headers or {}), timeout=10) as r:
            return r.status, r.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def post_json(base_url: str, path: str, body: dict) -> tuple[int, dict]:
    status, text = request(base_url + path, json.dumps(body).encode(), {"content-type": "application/json"})
    return status, json.loads(text)


def authn_request(base_url: str, request_id: str = "_req1", acs_url: str = ACS_URL, issuer: str = SP_ENTITY) -> str:
    """An HTTP-Redirect AuthnRequest URL as the broker sends the browser."""
    instant = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    xml = (
        '<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
        f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="{request_id}" Version="2.0" '
        f'IssueInstant="{instant}" Destination="{base_url}/sso/redirect" AssertionConsumerServiceURL="{acs_url}" '
        'ProtocolBinding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST">'
        f"<saml:Issuer>{issuer}</saml:Issuer></samlp:AuthnRequest>"
    )
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    deflated = compressor.compress(xml.encode()) + compressor.flush()
    query = urllib.parse.urlencode({"SAMLRequest": base64.b64encode(deflated).decode(), "RelayState": "state-1"})
    return f"{base_url}/sso/redirect?{query}"


def verifies_with_xmlsec1(document: bytes, certificate_pem: str, node: str) -> bool:
    with tempfile.TemporaryDirectory() as directory:
        xml_path, cert_path = Path(directory, "r.xml"), Path(directory, "c.pem")
        xml_path.write_bytes(document)
        cert_path.write_text(certificate_pem)
        result = subprocess.run(
            ["xmlsec1", "--verify", "--pubkey-cert-pem", str(cert_path), "--id-attr:ID", node,
             "--node-xpath", f"//*[local-name()='{node.split(':')[-1]}']/*[local-name()='Signature']",
             str(xml_path)],
            capture_output=True,
        )
        return result.returncode == 0


def test_metadata_describes_the_idp(base_url):
    status, text = request(base_url + "/metadata")
    assert status == 200
    root = ElementTree.fromstring(text)
    assert root.get("entityID") == f"{base_url}/metadata"
    md = "{urn:oasis:names:tc:SAML:2.0:metadata}"
    sso = root.find(f"{md}IDPSSODescriptor/{md}SingleSignOnService")
    assert sso.get("Binding") == "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect"
    assert sso.get("Location") == f"{base_url}/sso/redirect"
    assert root.find(f"{md}IDPSSODescriptor/{md}KeyDescriptor//{DS}X509Certificate") is not None


def test_browser_login_posts_a_signed_response_to_the_acs(base_url):
    status, form = request(authn_request(base_url, "_browser1"))
    assert status == 200 and 'name="password"' in form
    key = re.search(r'name="key" value="([^"]+)"', form).group(1)
    wrong = urllib.parse.urlencode({"key": key, "username": "alice", "password": "nope"}).encode()
    status, retry = request(base_url + "/sso/login", wrong)
    assert status == 401 and "Wrong username or password" in retry
    key = re.search(r'name="key" value="([^"]+)"', retry).group(1)
    right = urllib.parse.urlencode({"key": key, "username": "alice", "password": "alice-password"}).encode()
    status, page = request(base_url + "/sso/login", right)
    assert status == 200
    assert f'action="{ACS_URL}"' in page
    assert re.search(r'name="RelayState" value="state-1"', page)
    saml_response = re.search(r'name="SAMLResponse" value="([^"]+)"', page).group(1)
    response = ElementTree.fromstring(base64.b64decode(saml_response))
    assert response.get("InResponseTo") == "_browser1"
    assert response.find(f"{SAML}Assertion/{SAML}Subject/{SAML}NameID").text == "alice"


def test_a_login_form_key_is_used_once(base_url):
    _, form = request(authn_request(base_url, "_once"))
    key = re.search(r'name="key" value="([^"]+)"', form).group(1)
    body = urllib.parse.urlencode({"key": key, "username": "bob", "password": "bob-password"}).encode()
    assert request(base_url + "/sso/login", body)[0] == 200
    assert request(base_url + "/sso/login", body)[0] == 400


def test_requests_from_unknown_service_providers_or_acs_urls_are_refused(base_url):
    assert request(authn_request(base_url, issuer="https://stranger.example.test"))[0] == 400
    assert request(authn_request(base_url, acs_url="https://evil.example.test/acs"))[0] == 400


@pytest.mark.parametrize("mode", ["response", "assertion", "both"])
def test_test_login_signs_what_it_is_told(base_url, mode):
    assert post_json(base_url, "/test/sign", {"sign": mode})[0] == 200
    try:
        status, answer = post_json(
            base_url, "/test/login", {"redirect_url": authn_request(base_url, f"_{mode}"), "username": "alice"}
        )
    finally:
        post_json(base_url, "/test/sign", {"sign": "both"})
    assert status == 200 and answer["acs_url"] == ACS_URL and answer["relay_state"] == "state-1"
    document = base64.b64decode(answer["saml_response"])
    response = ElementTree.fromstring(document)
    assert (response.find(f"{DS}Signature") is not None) == (mode != "assertion")
    assert (response.find(f"{SAML}Assertion/{DS}Signature") is not None) == (mode != "response")
    _, info = request(base_url + "/test/info")
    certificate = json.loads(info)["certificate_pem"]
    signed = "Response" if mode != "assertion" else "Assertion"
    assert verifies_with_xmlsec1(document, certificate, signed)


def test_added_users_carry_their_groups(base_url):
    status, _ = post_json(
        base_url, "/test/users", {"username": "carol", "password": "pw", "groups": ["ops", "sre"], "email": "c@x.test"}
    )
    assert status == 200
    _, answer = post_json(
        base_url, "/test/login", {"redirect_url": authn_request(base_url, "_carol"), "username": "carol",
                                  "password": "pw"}
    )
    response = ElementTree.fromstring(base64.b64decode(answer["saml_response"]))
    groups = [
        value.text
        for attribute in response.iter(f"{SAML}Attribute")
        if attribute.get("Name") == "groups"
        for value in attribute.findall(f"{SAML}AttributeValue")
    ]
    assert groups == ["ops", "sre"]


def test_test_login_refuses_a_wrong_password_and_unsolicited_needs_a_known_sp(base_url):
    status, answer = post_json(
        base_url, "/test/login", {"redirect_url": authn_request(base_url), "username": "alice", "password": "x"}
    )
    assert status == 401 and answer["error"] == "access_denied"
    assert post_json(base_url, "/test/unsolicited", {"sp_entity_id": "nobody", "username": "alice"})[0] == 404
    status, answer = post_json(base_url, "/test/unsolicited", {"sp_entity_id": SP_ENTITY, "username": "bob"})
    assert status == 200
    assert ElementTree.fromstring(base64.b64decode(answer["saml_response"])).get("InResponseTo") is None


def test_only_loopback_hosts_are_accepted():
    result = subprocess.run(
        [sys.executable, str(HERE / "idp.py"), "--host", "0.0.0.0", "--port", "0"], capture_output=True, text=True
    )
    assert result.returncode == 2 and "loopback" in result.stderr


def test_sigterm_while_requests_arrive_always_stops():
    # A signal that lands while the server dispatches a request must still stop it (see the OIDC test IdP's twin).
    for _ in range(3):
        process = subprocess.Popen(
            [sys.executable, str(HERE / "idp.py"), "--port", "0"], stdout=subprocess.PIPE, text=True, cwd=HERE
        )
        url = process.stdout.readline().split()[-1]
        stop = threading.Event()

        def hammer():
            while not stop.is_set():
                try:
                    urllib.request.urlopen(url + "/metadata", timeout=2).read()
                except OSError:
                    pass

        workers = [threading.Thread(target=hammer) for _ in range(4)]
        for worker in workers:
            worker.start()
        try:
            time.sleep(0.2)
            process.terminate()
            try:
                assert process.wait(timeout=20) == 0
            except subprocess.TimeoutExpired:
                process.kill()
                raise AssertionError("saml-idp ignored SIGTERM")
        finally:
            stop.set()
            for worker in workers:
                worker.join()
