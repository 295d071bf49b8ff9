"""Console single sign-on through a real OpenID provider (panva's oidc-provider): the account's
sign-in page offers the provider, the browser signs in there (code flow with PKCE, state and
nonce), comes back, picks one of the roles whose trust policies allow the identity, and lands in
the console as `ROLE/SESSION` — audited with the provider's subject. Then what must be refused:
an identity no role trusts, a forged or replayed callback, a callback in another browser, and a
wrong client secret; none of them opens a session."""

import base64
import json
import urllib.parse

import pytest

from conftest import running_server
from helpers import ACCOUNT_ID, ROOT_PASSWORD
from oidc_idp import Browser, OidcProvider
from servers import free_port

CLIENT_ID = "ferriam-console"


def callback_url(server, host):
    """The provider's own callback, as its page in the console shows it."""
    key = base64.urlsafe_b64encode(host.encode()).rstrip(b"=").decode()
    return f"{server.endpoint}/sso/callback/{ACCOUNT_ID}/{key}"
CLIENT_SECRET = "console-client-secret"
ROOT_EMAIL = "aws-tests@example.com"


def trust(provider_arn, host, sub):
    return json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": provider_arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {f"{host}:aud": CLIENT_ID, f"{host}:sub": sub}},
        }],
    })


def console_root(server) -> Browser:
    """A browser signed in to the console as the account's root user."""
    browser = Browser()
    answer = browser.post(f"{server.endpoint}/api/auth/sign_in",
                          {"email": ROOT_EMAIL, "password": ROOT_PASSWORD})
    assert answer.status in (200, 302, 303), answer.body
    return browser


def set_console_signin(server, admin, provider_arn, secret=CLIENT_SECRET, label="Test IdP"):
    answer = admin.post(f"{server.endpoint}/api/identity_providers/set_console_signin", {
        "arn": provider_arn, "label": label, "client_id": CLIENT_ID,
        "client_secret": secret, "name_claim": "email",
    })
    assert answer.status == 200, answer.body


@pytest.fixture(scope="module")
def server():
    """A server of this module's own: its refusals count as failed authentications from
    127.0.0.1, and the shared server's per-address throttle must not see them."""
    with running_server() as running:
        yield running


@pytest.fixture(scope="module")
def sso(server):
    """The provider (alice and bob are known; anyone may sign in), registered in the account
    with console sign-in set up, and roles: two trust alice, one trusts bob."""
    iam = server.client("iam")
    port = free_port()
    idp = OidcProvider(
        port=port,
        clients=[{
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "redirect_uris": [callback_url(server, f"127.0.0.1:{port}")],
            "token_endpoint_auth_method": "client_secret_basic",
        }],
        accounts={
            "alice": {"email": "alice@example.com"},
            "bob": {"email": "bob@example.com"},
            "eve": {"email": "eve@example.com"},
        },
    ).start()
    provider_arn = iam.create_open_id_connect_provider(
        Url=idp.issuer, ClientIDList=[CLIENT_ID])["OpenIDConnectProviderArn"]
    host = idp.issuer.removeprefix("http://")
    roles = {"SsoAdmins": "alice", "SsoReaders": "alice", "SsoBobs": "bob"}
    for role, sub in roles.items():
        iam.create_role(RoleName=role, AssumeRolePolicyDocument=trust(provider_arn, host, sub),
                        MaxSessionDuration=7200)
    admin = console_root(server)
    set_console_signin(server, admin, provider_arn)
    yield idp, provider_arn, admin
    for role in roles:
        iam.delete_role(RoleName=role)
    iam.delete_open_id_connect_provider(OpenIDConnectProviderArn=provider_arn)
    idp.close()


def start(server, browser) -> str:
    """The account's sign-in choice, posted as its button does: the provider's authorization URL
    the answer moves on to."""
    choices = browser.post(f"{server.endpoint}/api/auth/sso_choices", {"account": ACCOUNT_ID})
    assert choices.status == 200, choices.body
    [choice] = json.loads(choices.body)
    assert choice["label"] == "Test IdP"
    started = browser.post(f"{server.endpoint}/sso/start",
                           {"account": choice["account"], "provider": choice["provider"]})
    assert started.status == 200 and started.location, started.body
    return started.location


def callback_of(server, idp, browser, login) -> str:
    return idp.sign_in(browser, start(server, browser), login, f"{server.endpoint}/sso/callback/")


def signed_in_page(server, browser) -> str:
    """The header of a console page (the role has no permissions: the page itself may be a
    refusal, with 403)."""
    page = browser.get(f"{server.endpoint}/users")
    assert page.status in (200, 403) and 'data-testid="principal-name"' in page.body, page.status
    return page.body.split('data-testid="principal-name"', 1)[1].split("</div>", 1)[0]


def test_a_person_signs_in_at_the_provider_and_chooses_a_role(server, sso):
    idp, _, admin = sso
    browser = Browser()
    authorization = start(server, browser)
    query = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(authorization).query))
    assert authorization.startswith(f"{idp.issuer}/auth?")
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == callback_url(server, idp.issuer.removeprefix("http://"))
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert len(query["state"]) == 43 and len(query["nonce"]) == 43

    callback = idp.sign_in(browser, authorization, "alice", f"{server.endpoint}/sso/callback/")
    back = browser.get(callback)
    assert back.status == 303 and back.location == f"{server.endpoint}/sso/roles"
    choices = browser.get(back.location)
    assert choices.status == 200
    assert "alice@example.com" in choices.body
    assert f"arn:aws:iam::{ACCOUNT_ID}:role/SsoAdmins" in choices.body
    assert f"arn:aws:iam::{ACCOUNT_ID}:role/SsoReaders" in choices.body
    assert "SsoBobs" not in choices.body

    # A role not offered is refused.
    other = browser.post(f"{server.endpoint}/sso/roles",
                         {"role_arn": f"arn:aws:iam::{ACCOUNT_ID}:role/SsoBobs"})
    assert other.status == 403 and "Choose one of the roles listed." in other.body

    chosen = browser.post(f"{server.endpoint}/sso/roles",
                          {"role_arn": f"arn:aws:iam::{ACCOUNT_ID}:role/SsoReaders"})
    assert chosen.status == 303 and chosen.location == f"{server.endpoint}/"
    assert "SsoReaders/alice@example.com" in signed_in_page(server, browser)

    # The audit log: the role assumed by the provider's subject, then the console sign-in.
    export = admin.get(f"{server.endpoint}/api/audit/export?format=jsonl")
    events = [json.loads(line) for line in export.body.splitlines() if line]
    host = idp.issuer.removeprefix("http://")
    assumed = [e for e in events if e.get("eventName") == "AssumeRoleWithWebIdentity"
               and e.get("userIdentity", {}).get("principalId") == f"{host}:alice"]
    assert assumed, events[-5:]
    logins = [e for e in events if e.get("eventName") == "ConsoleLogin"
              and e.get("userIdentity", {}).get("arn", "").endswith(":assumed-role/SsoReaders/alice@example.com")]
    assert logins, events[-5:]

    # Signing out ends it.
    browser.post(f"{server.endpoint}/api/auth/sign_out", {})
    assert browser.get(f"{server.endpoint}/users").status in (302, 303)


def test_one_trusting_role_signs_straight_in(server, sso):
    idp, _, _ = sso
    browser = Browser()
    back = browser.get(callback_of(server, idp, browser, "bob"))
    assert back.status == 303 and back.location == f"{server.endpoint}/"
    assert "SsoBobs/bob@example.com" in signed_in_page(server, browser)


def test_an_identity_no_role_trusts_gets_a_clear_refusal_and_no_session(server, sso):
    idp, _, _ = sso
    browser = Browser()
    refused = browser.get(callback_of(server, idp, browser, "eve"))
    assert refused.status == 403
    assert "no role in this account trusts that identity" in refused.body
    assert "eve@example.com" in refused.body
    assert browser.get(f"{server.endpoint}/users").status in (302, 303)


def test_forged_replayed_and_foreign_callbacks_are_refused(server, sso):
    idp, _, _ = sso
    browser = Browser()
    callback = callback_of(server, idp, browser, "bob")
    parts = urllib.parse.urlsplit(callback)
    query = dict(urllib.parse.parse_qsl(parts.query))

    # Another browser (no sign-in started there) presenting the callback: refused.
    stranger = Browser()
    foreign = stranger.get(callback)
    assert foreign.status == 403 and "did not start in this browser" in foreign.body

    # A forged state: refused, and the sign-in it would have finished is gone with it.
    forged = dict(query, state="A" * 43)
    refused = browser.get(parts._replace(query=urllib.parse.urlencode(forged)).geturl())
    assert refused.status == 403 and "did not start in this browser" in refused.body
    replay = browser.get(callback)
    assert replay.status == 403
    assert browser.get(f"{server.endpoint}/users").status in (302, 303)

    # The provider's own refusal (with the right state) is shown, and opens nothing.
    browser2 = Browser()
    state = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(start(server, browser2)).query))["state"]
    own_callback = callback_url(server, idp.issuer.removeprefix("http://"))
    denied = browser2.get(f"{own_callback}?" + urllib.parse.urlencode(
        {"error": "access_denied", "state": state, "iss": idp.issuer}))
    assert denied.status == 403
    assert "did not sign you in (access_denied)" in denied.body
    assert browser2.get(f"{server.endpoint}/users").status in (302, 303)


def test_a_wrong_client_secret_issues_nothing(server, sso):
    idp, provider_arn, admin = sso
    set_console_signin(server, admin, provider_arn, secret="not-the-secret")
    try:
        browser = Browser()
        refused = browser.get(callback_of(server, idp, browser, "bob"))
        assert refused.status == 403
        assert "did not issue a token" in refused.body
        assert browser.get(f"{server.endpoint}/users").status in (302, 303)
    finally:
        set_console_signin(server, admin, provider_arn)


def test_a_sign_in_starts_only_from_this_console(server, sso):
    browser = Browser()
    # Not by a link another site could plant, nor by another site's form.
    assert browser.get(f"{server.endpoint}/sso/start?account={ACCOUNT_ID}").status == 405
    cross = browser.post(f"{server.endpoint}/sso/start",
                         {"account": ACCOUNT_ID, "provider": "x"},
                         {"Origin": "https://evil.example.com"})
    assert cross.status == 403


def test_a_callback_to_another_providers_address_or_from_another_issuer_is_refused(server, sso):
    idp, _, _ = sso
    browser = Browser()
    callback = callback_of(server, idp, browser, "bob")
    # The same answer brought to another provider's callback: the sign-in did not go there.
    other = callback_url(server, "other.example.com")
    moved = callback.replace(callback.split("?")[0], other)
    refused = browser.get(moved)
    assert refused.status == 403 and "did not start in this browser" in refused.body

    for change in ({"iss": "https://other.example.com"}, {"iss": None}):
        browser = Browser()
        callback = callback_of(server, idp, browser, "bob")
        parts = urllib.parse.urlsplit(callback)
        query = dict(urllib.parse.parse_qsl(parts.query))
        assert query["iss"] == idp.issuer, "the provider names itself (RFC 9207)"
        for key, value in change.items():
            if value is None:
                query.pop(key)
            else:
                query[key] = value
        answer = browser.get(parts._replace(query=urllib.parse.urlencode(query)).geturl())
        assert answer.status == 403
        assert "another identity provider" in answer.body or "does not say who sent it" in answer.body
        assert browser.get(f"{server.endpoint}/users").status in (302, 303)


def test_a_role_choice_ends_when_console_sign_in_is_taken_down(server, sso):
    idp, provider_arn, admin = sso
    browser = Browser()
    back = browser.get(callback_of(server, idp, browser, "alice"))
    assert back.location == f"{server.endpoint}/sso/roles"
    removed = admin.post(f"{server.endpoint}/api/identity_providers/remove_console_signin",
                         {"arn": provider_arn})
    assert removed.status == 200, removed.body
    try:
        chosen = browser.post(f"{server.endpoint}/sso/roles",
                              {"role_arn": f"arn:aws:iam::{ACCOUNT_ID}:role/SsoReaders"})
        assert chosen.status == 403 and "offers no such sign-in" in chosen.body
        assert browser.get(f"{server.endpoint}/users").status in (302, 303)
    finally:
        set_console_signin(server, admin, provider_arn)


def test_the_role_choice_refuses_another_sites_form(server, sso):
    idp, _, _ = sso
    browser = Browser()
    browser.get(callback_of(server, idp, browser, "alice"))
    cross = browser.post(f"{server.endpoint}/sso/roles",
                         {"role_arn": f"arn:aws:iam::{ACCOUNT_ID}:role/SsoReaders"},
                         {"Origin": "https://evil.example.com"})
    assert cross.status == 403
    assert browser.get(f"{server.endpoint}/users").status in (302, 303)
