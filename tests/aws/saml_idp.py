"""A real SAML 2.0 identity provider for tests: pysaml2's IdP (`saml2.server.Server`) signing with
Debian's `xmlsec1`, as deployments of pysaml2 do, behind a small HTTP front end.

`SamlIdp(sp_origin)` makes its own RSA key and self-signed certificate, reads Ferriam's
service-provider metadata from `SP_ORIGIN/saml/metadata.xml` (the same document an administrator
would give a corporate IdP), and issues signed responses for that SP:

    idp = SamlIdp("http://127.0.0.1:3000")
    iam.create_saml_provider(Name="corp", SAMLMetadataDocument=idp.metadata())
    assertion = idp.encoded_response("alice", {ROLE: [f"{role_arn},{provider_arn}"], ...})

`clock_offset_seconds` runs the IdP with a wrong clock (assertions issued in the past or the
future), `sign_response`/`sign_assertion` choose what it signs. `python saml_idp.py --sp-origin
URL --port N` serves `GET /metadata` and `GET /login?user=…&role=…` (a page that posts the signed
response to the SP's assertion consumer service, as an IdP-initiated sign-in does).
"""

import argparse
import base64
import contextlib
import datetime as _datetime
import html
import http.server
import subprocess
import tempfile
import time as _time
import urllib.parse
import urllib.request
from pathlib import Path

from saml2 import BINDING_HTTP_REDIRECT, time_util
from saml2.authn_context import PASSWORD
from saml2.assertion import Policy
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_URI, NAMEID_FORMAT_PERSISTENT, NameID
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

ROLE = "https://aws.amazon.com/SAML/Attributes/Role"
ROLE_SESSION_NAME = "https://aws.amazon.com/SAML/Attributes/RoleSessionName"
SESSION_DURATION = "https://aws.amazon.com/SAML/Attributes/SessionDuration"
PRINCIPAL_TAG = "https://aws.amazon.com/SAML/Attributes/PrincipalTag:"
XMLSEC = "/usr/bin/xmlsec1"


class _ReleaseEverything(Policy):
    """The IdP administrator's release policy: every attribute a test gives is sent (pysaml2
    otherwise sends only those the SP's metadata requests, and session tags' names are open)."""

    def restrict(self, ava, sp_entity_id, metadata=None):
        return self.filter(ava, sp_entity_id)


class _ShiftedTime:
    """`time` as pysaml2's time_util uses it, `offset` seconds off."""

    def __init__(self, offset):
        self.offset = offset

    def __getattr__(self, name):
        return getattr(_time, name)

    def gmtime(self, seconds=None):
        return _time.gmtime((_time.time() if seconds is None else seconds) + self.offset)

    def time(self):
        return _time.time() + self.offset


@contextlib.contextmanager
def _clock(offset):
    if not offset:
        yield
        return

    class Shifted(_datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return _datetime.datetime.now(tz) + _datetime.timedelta(seconds=offset)

    saved = (time_util.time, time_util.datetime)
    time_util.time, time_util.datetime = _ShiftedTime(offset), Shifted
    try:
        yield
    finally:
        time_util.time, time_util.datetime = saved


class SamlIdp:
    def __init__(self, sp_origin, entity_id="http://127.0.0.1/test-idp", other_sps=(),
                 lifetime_minutes=15):
        self.sp_origin = sp_origin.rstrip("/")
        self.sp_entity_id = f"{self.sp_origin}/saml/metadata.xml"
        self.acs_url = f"{self.sp_origin}/saml"
        self.entity_id = entity_id
        self._dir = tempfile.TemporaryDirectory(prefix="saml-idp-")
        directory = Path(self._dir.name)
        self.key_file = str(directory / "key.pem")
        self.cert_file = str(directory / "cert.pem")
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "30",
             "-keyout", self.key_file, "-out", self.cert_file, "-subj", "/CN=ferriam-test-idp"],
            check=True, capture_output=True,
        )
        with urllib.request.urlopen(f"{self.sp_origin}/saml/metadata.xml", timeout=10) as reply:
            sp_metadata = reply.read().decode()
        inline = [sp_metadata] + [_sp_metadata(entity, acs) for entity, acs in other_sps]
        policy = {"default": {
            "lifetime": {"minutes": lifetime_minutes},
            "attribute_restrictions": None,
            "name_form": NAME_FORMAT_URI,
            "entity_categories": [],
        }}
        config = IdPConfig()
        config.load({
            "entityid": entity_id,
            "service": {"idp": {
                "endpoints": {"single_sign_on_service": [(f"{entity_id}/sso", BINDING_HTTP_REDIRECT)]},
                "policy": policy,
                "name_id_format": [NAMEID_FORMAT_PERSISTENT],
            }},
            "key_file": self.key_file,
            "cert_file": self.cert_file,
            "xmlsec_binary": XMLSEC,
            "signing_algorithm": SIG_RSA_SHA256,
            "digest_algorithm": DIGEST_SHA256,
            "metadata": {"inline": inline},
        })
        config.setattr("idp", "policy", _ReleaseEverything(policy, config.metadata))
        self.config = config
        self.server = Server(config=config)

    def metadata(self) -> str:
        document = create_metadata_string(None, self.config, sign=False)
        return document.decode() if isinstance(document, bytes) else document

    def response(self, name_id, attributes, *, sign_response=True, sign_assertion=False,
                 destination=None, audience=None, clock_offset_seconds=0,
                 name_id_format=NAMEID_FORMAT_PERSISTENT) -> str:
        """A signed `Response` (XML text) for `name_id` with `attributes` (name → values)."""
        with _clock(clock_offset_seconds):
            response = self.server.create_authn_response(
                attributes,
                in_response_to=None,
                destination=destination or self.acs_url,
                sp_entity_id=audience or self.sp_entity_id,
                name_id=NameID(format=name_id_format, text=name_id),
                sign_response=sign_response,
                sign_assertion=sign_assertion,
                sign_alg=SIG_RSA_SHA256,
                digest_alg=DIGEST_SHA256,
                authn={"class_ref": PASSWORD},
                userid=name_id,
            )
        return str(response)

    def encoded_response(self, name_id, attributes, **options) -> str:
        return encode(self.response(name_id, attributes, **options))

    def close(self):
        self._dir.cleanup()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def encode(document: str) -> str:
    return base64.b64encode(document.encode()).decode()


def _sp_metadata(entity_id, acs):
    return f"""<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="{entity_id}">
<md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
<md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="{acs}" index="1"/>
</md:SPSSODescriptor></md:EntityDescriptor>"""


def serve(idp: SamlIdp, port: int):
    """`GET /metadata`; `GET /login?user=U&role=ROLE_ARN,PROVIDER_ARN[&role=…]` answers a page
    that posts the signed response to the SP, as an IdP-initiated sign-in does."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            query = urllib.parse.parse_qs(url.query)
            if url.path == "/metadata":
                return self._send(200, "application/samlmetadata+xml", idp.metadata())
            if url.path == "/login" and query.get("user"):
                user = query["user"][0]
                attributes = {ROLE: query.get("role", []), ROLE_SESSION_NAME: [user]}
                if query.get("duration"):
                    attributes[SESSION_DURATION] = query["duration"]
                encoded = idp.encoded_response(user, attributes)
                page = f"""<!doctype html><html><head><title>Test IdP</title></head>
<body><form method="post" action="{html.escape(idp.acs_url)}">
<input type="hidden" name="SAMLResponse" value="{encoded}">
<button type="submit">Continue to Ferriam as {html.escape(user)}</button></form></body></html>"""
                return self._send(200, "text/html; charset=utf-8", page)
            return self._send(404, "text/plain", "not found")

        def _send(self, status, content_type, body):
            data = body.encode()
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    print(f"listening on http://127.0.0.1:{httpd.server_address[1]}", flush=True)
    httpd.serve_forever()


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sp-origin", required=True)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with SamlIdp(args.sp_origin, entity_id=f"http://127.0.0.1:{args.port}/idp") as idp:
        serve(idp, args.port)


if __name__ == "__main__":
    main()
