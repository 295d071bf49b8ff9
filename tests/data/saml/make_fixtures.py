"""Regenerates the signed SAML responses the Rust tests read (run from this directory with the
AWS tests' virtualenv: `../../../.tools/aws-venv/bin/python make_fixtures.py`). Each is signed
by pysaml2 with xmlsec1 and the fixture key, at the tests' clock (tests/common START_MILLIS),
for the service provider at https://iam.example.com."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "aws"))

from saml2.authn_context import PASSWORD  # noqa: E402
from saml2.config import IdPConfig  # noqa: E402
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID  # noqa: E402
from saml2.server import Server  # noqa: E402
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256  # noqa: E402

import saml_idp  # noqa: E402

START_SECONDS = 1_795_305_615
ORIGIN = "https://iam.example.com"
ACCOUNT = "123456789012"
ROLE = f"arn:aws:iam::{ACCOUNT}:role/saml-role"
PROVIDER = f"arn:aws:iam::{ACCOUNT}:saml-provider/fixture"

config = IdPConfig()
config.load({
    "entityid": "https://fixture-idp.example.com/saml",
    "service": {"idp": {"policy": {"default": {
        "lifetime": {"minutes": 15}, "attribute_restrictions": None,
        "name_form": NAME_FORMAT_URI, "entity_categories": []}}}},
    "key_file": "idp-key.pem",
    "cert_file": "idp-cert.pem",
    "xmlsec_binary": saml_idp.XMLSEC,
    "metadata": {"inline": [saml_idp._sp_metadata(f"{ORIGIN}/saml/metadata.xml", f"{ORIGIN}/saml")]},
})
server = Server(config=config)
offset = START_SECONDS - int(__import__("time").time())


def write(name, sign_response, sign_assertion):
    with saml_idp._clock(offset):
        response = server.create_authn_response(
            {saml_idp.ROLE: [f"{ROLE},{PROVIDER}"], saml_idp.ROLE_SESSION_NAME: ["alice@example.com"],
             "urn:oid:1.3.6.1.4.1.5923.1.1.1.1": ["staff", "member"]},
            in_response_to=None, destination=f"{ORIGIN}/saml", sp_entity_id=f"{ORIGIN}/saml/metadata.xml",
            name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text="alice"),
            sign_response=sign_response, sign_assertion=sign_assertion,
            sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256,
            authn={"class_ref": PASSWORD}, userid="alice",
        )
    Path(name).write_text(str(response))


write("signed-response.xml", True, False)
write("signed-assertion.xml", False, True)
