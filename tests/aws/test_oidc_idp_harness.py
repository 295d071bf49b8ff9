"""The OIDC test provider itself (oidc_idp.py, end2end/oidc/provider.mjs): real oidc-provider
tokens with the claims we configure, both signing algorithms, and a restart that keeps the issuer
and its keys. Needs node and end2end/node_modules, not the Ferriam server."""

import json
import subprocess
import urllib.error
import urllib.request

import pytest

from oidc_idp import PROVIDER_SCRIPT, REDIRECT_URI, OidcProvider, decode_jwt

TAGS = "https://aws.amazon.com/tags"
CLIENTS = [
    {
        "client_id": "ferriam-sts",
        "client_secret": "harness-secret",
        "redirect_uris": [REDIRECT_URI],
        "token_endpoint_auth_method": "client_secret_basic",
    },
    {
        "client_id": "ferriam-es256",
        "redirect_uris": [REDIRECT_URI],
        "token_endpoint_auth_method": "none",
        "id_token_signed_response_alg": "ES256",
    },
    {
        "client_id": "ferriam-post",
        "client_secret": "harness-post-secret",
        "redirect_uris": [REDIRECT_URI],
        "token_endpoint_auth_method": "client_secret_post",
    },
]
ACCOUNTS = {
    "alice": {
        "email": "alice@example.com",
        "groups": ["admins"],
        TAGS: {"principal_tags": {"team": ["blue"]}, "transitive_tag_keys": ["team"]},
    }
}


def verify(token: str, issuer: str, audience: str) -> dict:
    """Verifies signature, issuer and audience against the provider's JWKS with jose (node)."""
    script = """
        import { createRemoteJWKSet, jwtVerify } from 'jose';
        const [token, issuer, audience] = process.argv.slice(1);
        const jwks = createRemoteJWKSet(new URL(issuer + '/jwks'));
        const { payload } = await jwtVerify(token, jwks, { issuer, audience });
        console.log(JSON.stringify(payload));
    """
    out = subprocess.run(
        ["node", "--input-type=module", "-e", script, token, issuer, audience],
        cwd=PROVIDER_SCRIPT.parent, capture_output=True, text=True, timeout=30,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def reachable(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as r:
            return r.status == 200
    except (urllib.error.URLError, ConnectionError):
        return False


@pytest.fixture(scope="module")
def idp():
    with OidcProvider(clients=CLIENTS, accounts=ACCOUNTS, id_token_ttl=900) as provider:
        yield provider


def test_id_token_carries_configured_claims(idp):
    token = idp.id_token("alice", "ferriam-sts")
    header, payload = decode_jwt(token)
    assert header["alg"] == "RS256"
    assert payload["iss"] == idp.issuer
    aud = payload["aud"]
    assert "ferriam-sts" in (aud if isinstance(aud, list) else [aud])
    assert payload["sub"] == "alice"
    assert payload["email"] == "alice@example.com"
    assert payload["groups"] == ["admins"]
    assert payload[TAGS] == ACCOUNTS["alice"][TAGS]
    assert payload["exp"] - payload["iat"] == 900
    assert verify(token, idp.issuer, "ferriam-sts")["sub"] == "alice"


def test_unconfigured_login_gets_only_sub(idp):
    payload = decode_jwt(idp.id_token("bob", "ferriam-post"))[1]
    assert payload["sub"] == "bob"
    assert TAGS not in payload and "email" not in payload


def test_public_client_with_es256(idp):
    token = idp.id_token("alice", "ferriam-es256")
    header, payload = decode_jwt(token)
    assert header["alg"] == "ES256"
    assert payload["aud"] == "ferriam-es256" or "ferriam-es256" in payload["aud"]
    assert verify(token, idp.issuer, "ferriam-es256")["sub"] == "alice"
    assert idp.access_token("alice", "ferriam-es256")


def test_restart_keeps_issuer_and_keys():
    with OidcProvider(clients=CLIENTS, accounts=ACCOUNTS) as idp:
        discovery = f"{idp.issuer}/.well-known/openid-configuration"
        token = idp.id_token("alice", "ferriam-sts")
        jwks = json.load(urllib.request.urlopen(f"{idp.issuer}/jwks", timeout=5))
        issuer = idp.issuer

        idp.stop()
        assert not reachable(discovery)

        idp.start()
        assert idp.issuer == issuer
        assert reachable(discovery)
        assert json.load(urllib.request.urlopen(f"{idp.issuer}/jwks", timeout=5)) == jwks
        assert verify(token, idp.issuer, "ferriam-sts")["sub"] == "alice"
        assert decode_jwt(idp.id_token("alice", "ferriam-sts"))[0]["kid"] == decode_jwt(token)[0]["kid"]
