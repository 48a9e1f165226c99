"""The SAML side of the test IdP: a pysaml2 `Server` with a fresh RSA key, the service providers it knows, its users,
and how it signs.  Everything in memory; the key and certificate live in a temporary directory only because pysaml2
hands them to the xmlsec1 binary by path."""

from __future__ import annotations

import base64
import datetime
import shutil
import tempfile
import threading
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import quoteattr

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

with warnings.catch_warnings():
    # pysaml2 7.5.5 still names a cipher mode that cryptography has deprecated; nothing here uses it.
    warnings.simplefilter("ignore")
    from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml, xmldsig
    from saml2.config import IdPConfig
    from saml2.metadata import entity_descriptor
    from saml2.server import Server

# The attribute the broker maps to groups; Name is exactly this string (NameFormat basic).
GROUPS_ATTRIBUTE = "groups"
EMAIL_ATTRIBUTE = "email"

SIGN_MODES = ("response", "assertion", "both")


@dataclass
class User:
    username: str
    password: str
    groups: list[str] = field(default_factory=list)
    email: str | None = None

    def to_json(self) -> dict:
        return {"username": self.username, "groups": self.groups, "email": self.email}


DEFAULT_USERS = [
    User("alice", "alice-password", ["dba", "approvers"], "alice@example.test"),
    User("bob", "bob-password", ["developers"], "bob@example.test"),
]


def _self_signed(common_name: str) -> tuple[bytes, bytes]:
    """A throw-away RSA-2048 key and certificate, PEM, valid for a day around now."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()
    )
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


def sp_metadata(entity_id: str, acs_url: str) -> str:
    """Metadata for one service provider, enough for pysaml2 to accept its AuthnRequests and post to its ACS."""
    return (
        '<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" '
        f"entityID={quoteattr(entity_id)}>"
        '<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" '
        'AuthnRequestsSigned="false" WantAssertionsSigned="true">'
        f'<md:AssertionConsumerService Binding="{BINDING_HTTP_POST}" Location={quoteattr(acs_url)} index="0" '
        'isDefault="true"/>'
        "</md:SPSSODescriptor></md:EntityDescriptor>"
    )


class UnknownUser(Exception):
    pass


class SAMLIdentityProvider:
    """A pysaml2 IdP whose entity id is `<base_url>/metadata` and SSO endpoint `<base_url>/sso/redirect`."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.entity_id = f"{base_url}/metadata"
        self.sso_url = f"{base_url}/sso/redirect"
        self._directory = tempfile.mkdtemp(prefix="saml-idp-")
        key_pem, cert_pem = _self_signed("hoop test SAML IdP")
        key_path, cert_path = Path(self._directory, "key.pem"), Path(self._directory, "cert.pem")
        key_path.write_bytes(key_pem)
        key_path.chmod(0o600)
        cert_path.write_bytes(cert_pem)
        self.certificate_pem = cert_pem.decode()
        self._lock = threading.Lock()
        self.users = {user.username: user for user in DEFAULT_USERS}
        self.service_providers: dict[str, str] = {}
        self.sign_mode = "both"
        self.lifetime_minutes = 5
        xmlsec = shutil.which("xmlsec1")
        if xmlsec is None:
            raise RuntimeError("the xmlsec1 binary is missing (Debian package xmlsec1)")
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "xmlsec_binary": xmlsec,
                "key_file": str(key_path),
                "cert_file": str(cert_path),
                "metadata": {},
                "accepted_time_diff": 60,
                "service": {
                    "idp": {
                        "name": "hoop test SAML IdP",
                        "endpoints": {"single_sign_on_service": [(self.sso_url, BINDING_HTTP_REDIRECT)]},
                        "name_id_format": [saml.NAMEID_FORMAT_UNSPECIFIED],
                        "want_authn_requests_signed": False,
                        "policy": {"default": {"attribute_restrictions": None}},
                    }
                },
            }
        )
        self.server = Server(config=config)
        self.metadata_xml = str(entity_descriptor(config))

    def close(self) -> None:
        shutil.rmtree(self._directory, ignore_errors=True)

    # Service providers and users -----------------------------------------------------------------------------

    def add_service_provider(self, entity_id: str, acs_url: str) -> None:
        with self._lock:
            self.service_providers[entity_id] = acs_url
            self.server.metadata.load("inline", sp_metadata(entity_id, acs_url))

    def add_user(self, user: User) -> None:
        with self._lock:
            self.users[user.username] = user

    def authenticate(self, username: str, password: str | None) -> User:
        """The user, when the password is right; `password=None` is the test control's login without one."""
        user = self.users.get(username)
        if user is None or (password is not None and password != user.password):
            raise UnknownUser(username)
        return user

    # Requests and responses ----------------------------------------------------------------------------------

    def parse_redirect_request(self, saml_request: str) -> dict:
        """Decodes an HTTP-Redirect AuthnRequest and answers where and how to respond: `{in_response_to,
        destination, sp_entity_id}`.  Raises for a request from an unknown SP or to an ACS URL not in its metadata."""
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            parsed = self.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
            arguments = self.server.response_args(parsed.message, [BINDING_HTTP_POST])
        return {
            "in_response_to": arguments["in_response_to"],
            "destination": arguments["destination"],
            "sp_entity_id": arguments["sp_entity_id"],
        }

    def respond(self, user: User, sp_entity_id: str, destination: str, in_response_to: str | None) -> str:
        """A signed Response (as the sign mode says) for `user`, base64 as the HTTP-POST binding carries it."""
        identity = {GROUPS_ATTRIBUTE: list(user.groups)}
        if user.email:
            identity[EMAIL_ATTRIBUTE] = [user.email]
        mode = self.sign_mode
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            response = self.server.create_authn_response(
                identity,
                in_response_to,
                destination,
                sp_entity_id,
                name_id=saml.NameID(format=saml.NAMEID_FORMAT_UNSPECIFIED, text=user.username),
                authn={"class_ref": saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": self.entity_id},
                sign_response=mode in ("response", "both"),
                sign_assertion=mode in ("assertion", "both"),
                sign_alg=xmldsig.SIG_RSA_SHA256,
                digest_alg=xmldsig.DIGEST_SHA256,
            )
        return base64.b64encode(str(response).encode()).decode()
