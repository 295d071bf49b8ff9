"""AssumeRoleWithSAML end to end with a real SAML identity provider (pysaml2 signing with xmlsec1):
boto3 registers the provider from the IdP's metadata, the IdP signs responses for Ferriam's own
service-provider metadata (GET /saml/metadata.xml), and STS trades them for a role's credentials
— through boto3 and `aws sts assume-role-with-saml`. Every attack (the XML signature wrapping
variants XSW1–XSW8, a forged assertion beside a signed one, comment injection, a DTD, a foreign
certificate, wrong audience or recipient, wrong times, oversized or deeply nested documents, a
role the assertion or the trust does not allow) is refused in AWS's codes, and nothing is issued.

The module runs its own server trusting 127.0.0.1 as a proxy, so that each refused request can
come from its own forwarded address: refusals count against their address, as every guess at a
secret does (one test shows the throttle)."""

import base64
import copy
import hashlib
import itertools
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from lxml import etree
from saml2.saml import NameID
from saml2.xmldsig import DIGEST_SHA1, SIG_RSA_SHA1

from conftest import running_server
from helpers import ACCOUNT_ID, REGION, allow, code_of, expect_error
from oidc_idp import Browser
from saml_idp import PRINCIPAL_TAG, ROLE, ROLE_SESSION_NAME, SamlIdp, encode
from servers import CLIENT_CONFIG

PROTOCOL = "urn:oasis:names:tc:SAML:2.0:protocol"
ASSERTION = "urn:oasis:names:tc:SAML:2.0:assertion"
DSIG = "http://www.w3.org/2000/09/xmldsig#"
NS = {"p": PROTOCOL, "a": ASSERTION, "ds": DSIG}
OTHER_SP = ("https://other.example.com/sp", "https://other.example.com/acs")
_addresses = itertools.count(1)


@pytest.fixture(scope="module")
def server():
    with running_server("--trusted-proxy", "127.0.0.1/32") as running:
        yield running


@pytest.fixture(scope="module")
def iam(server):
    return server.client("iam")


def sts_from(server, address=None):
    """An unsigned STS client whose requests come from `address` (a fresh one by default)."""
    client = boto3.client(
        "sts", endpoint_url=server.endpoint, region_name=REGION,
        config=CLIENT_CONFIG.merge(Config(signature_version=UNSIGNED)),
    )
    address = address or f"198.51.100.{next(_addresses)}"

    def forwarded(request, **_):
        request.headers["X-Forwarded-For"] = address

    client.meta.events.register("before-send.sts", forwarded)
    return client


@pytest.fixture(scope="module")
def idp(server):
    with SamlIdp(server.endpoint, other_sps=[OTHER_SP]) as provider:
        yield provider


@pytest.fixture(scope="module")
def setup(server, iam, idp):
    """The IdP registered as `corp`, a role it may assume (trust: this provider, SAML:aud =
    Ferriam's ACS), and a role whose trust names someone else."""
    provider = iam.create_saml_provider(Name="corp", SAMLMetadataDocument=idp.metadata())[
        "SAMLProviderArn"
    ]
    trust = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": provider},
            "Action": ["sts:AssumeRoleWithSAML", "sts:TagSession"],
            "Condition": {"StringEquals": {"SAML:aud": f"{server.endpoint}/saml"}},
        }],
    }
    with_source = copy.deepcopy(trust)
    with_source["Statement"][0]["Action"].append("sts:SetSourceIdentity")
    role = iam.create_role(RoleName="saml-admins", AssumeRolePolicyDocument=json.dumps(with_source))
    iam.put_role_policy(RoleName="saml-admins", PolicyName="list", PolicyDocument=allow("iam:ListUsers"))
    readers = iam.create_role(RoleName="saml-readers", AssumeRolePolicyDocument=json.dumps(trust))
    only_bob = copy.deepcopy(trust)
    only_bob["Statement"][0]["Condition"]["StringEquals"]["SAML:sub"] = "bob"
    bobs = iam.create_role(RoleName="saml-bob-only", AssumeRolePolicyDocument=json.dumps(only_bob))
    root_only = {"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"},
        "Action": "sts:AssumeRole"}]}
    untrusting = iam.create_role(RoleName="saml-untrusting", AssumeRolePolicyDocument=json.dumps(root_only))
    return {
        "provider": provider,
        "role": role["Role"]["Arn"],
        "readers": readers["Role"]["Arn"],
        "bob_only": bobs["Role"]["Arn"],
        "untrusting": untrusting["Role"]["Arn"],
    }


def attributes(setup, *roles, session_name="alice@example.com", extra=None):
    pairs = [f"{arn},{setup['provider']}" for arn in (roles or [setup["role"]])]
    values = {ROLE: pairs, ROLE_SESSION_NAME: [session_name]}
    values.update(extra or {})
    return values


def assume(server, setup, assertion, role=None, address=None, **extra):
    return sts_from(server, address).assume_role_with_saml(
        RoleArn=role or setup["role"], PrincipalArn=setup["provider"], SAMLAssertion=assertion, **extra
    )


# --- the provider registry ----------------------------------------------------------------


def test_saml_provider_lifecycle_with_aws_errors(iam, idp):
    metadata = idp.metadata()
    arn = iam.create_saml_provider(
        Name="lifecycle", SAMLMetadataDocument=metadata, Tags=[{"Key": "team", "Value": "id"}]
    )["SAMLProviderArn"]
    assert arn == f"arn:aws:iam::{ACCOUNT_ID}:saml-provider/lifecycle"
    got = iam.get_saml_provider(SAMLProviderArn=arn)
    assert got["SAMLMetadataDocument"] == metadata
    assert got["ValidUntil"] > got["CreateDate"]
    assert got["Tags"] == [{"Key": "team", "Value": "id"}]
    listed = {p["Arn"]: p for p in iam.list_saml_providers()["SAMLProviderList"]}
    assert arn in listed and "ValidUntil" in listed[arn]
    expect_error("EntityAlreadyExists", iam.create_saml_provider, Name="lifecycle", SAMLMetadataDocument=metadata)
    expect_error("InvalidInput", iam.create_saml_provider, Name="broken", SAMLMetadataDocument="<x>" + " " * 1000 + "</x>")
    expect_error("InvalidInput", iam.create_saml_provider, Name="enc", SAMLMetadataDocument=metadata,
                 AssertionEncryptionMode="Required")
    assert iam.update_saml_provider(SAMLProviderArn=arn, SAMLMetadataDocument=metadata)["SAMLProviderArn"] == arn
    iam.tag_saml_provider(SAMLProviderArn=arn, Tags=[{"Key": "env", "Value": "lab"}])
    iam.untag_saml_provider(SAMLProviderArn=arn, TagKeys=["team"])
    assert iam.list_saml_provider_tags(SAMLProviderArn=arn)["Tags"] == [{"Key": "env", "Value": "lab"}]
    iam.delete_saml_provider(SAMLProviderArn=arn)
    error = expect_error("NoSuchEntity", iam.get_saml_provider, SAMLProviderArn=arn)
    assert "Manifest not found" in error.response["Error"]["Message"]
    assert "lifecycle" not in json.dumps(iam.list_saml_providers()["SAMLProviderList"])


def test_sp_metadata_names_the_acs(server, idp):
    # The IdP was configured from it: its responses name this ACS and entity ID.
    document = idp.response("alice", {ROLE_SESSION_NAME: ["alice"]})
    assert f'Destination="{server.endpoint}/saml"' in document
    assert f"{server.endpoint}/saml/metadata.xml</ns1:Audience>" in document


# --- AssumeRoleWithSAML ---------------------------------------------------------------------


def test_boto3_trades_a_signed_response_for_the_roles_credentials(server, setup, idp):
    reply = assume(server, setup, idp.encoded_response("alice", attributes(setup)))
    assert reply["AssumedRoleUser"]["Arn"] == f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/saml-admins/alice@example.com"
    assert reply["Subject"] == "alice"
    assert reply["SubjectType"] == "persistent"
    assert reply["Issuer"] == idp.entity_id
    assert reply["Audience"] == f"{server.endpoint}/saml"
    expected = base64.b64encode(hashlib.sha1(f"{idp.entity_id}{ACCOUNT_ID}/corp".encode()).digest()).decode()
    assert reply["NameQualifier"] == expected
    credentials = reply["Credentials"]
    session_iam = server.client("iam", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                                credentials["SessionToken"])
    session_iam.list_users()
    expect_error("AccessDenied", session_iam.list_roles)
    whoami = server.client("sts", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                           credentials["SessionToken"]).get_caller_identity()
    assert whoami["Arn"] == reply["AssumedRoleUser"]["Arn"]


def test_one_response_serves_each_role_it_lists(server, setup, idp):
    assertion = idp.encoded_response("alice", attributes(setup, setup["role"], setup["readers"]))
    first = assume(server, setup, assertion)
    second = assume(server, setup, assertion, role=setup["readers"])
    assert first["AssumedRoleUser"]["Arn"].split("/")[1] == "saml-admins"
    assert second["AssumedRoleUser"]["Arn"].split("/")[1] == "saml-readers"


def test_duration_and_session_policy_are_honoured(server, setup, idp):
    reply = assume(server, setup, idp.encoded_response("alice", attributes(setup)),
                   DurationSeconds=900, Policy=allow("iam:GetUser"))
    lifetime = reply["Credentials"]["Expiration"].timestamp() - time.time()
    assert 800 < lifetime <= 905
    assert reply["PackedPolicySize"] > 0
    credentials = reply["Credentials"]
    session_iam = server.client("iam", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                                credentials["SessionToken"])
    # The session policy allows only GetUser: the role's ListUsers is cut off.
    expect_error("AccessDenied", session_iam.list_users)


def session_client(server, reply, service="iam"):
    credentials = reply["Credentials"]
    return server.client(service, credentials["AccessKeyId"], credentials["SecretAccessKey"],
                         credentials["SessionToken"])


def test_session_tags_from_principal_tag_attributes(server, iam, setup, idp):
    iam.put_role_policy(RoleName="saml-admins", PolicyName="by-team", PolicyDocument=allow(
        "iam:ListPolicies", condition={"StringEquals": {"aws:PrincipalTag/team": "blue"}}))
    extra = {f"{PRINCIPAL_TAG}team": ["blue"]}
    tagged = assume(server, setup, idp.encoded_response("alice", attributes(setup, extra=extra)))
    session_client(server, tagged).list_policies(MaxItems=1)
    untagged = assume(server, setup, idp.encoded_response("alice", attributes(setup)))
    expect_error("AccessDenied", session_client(server, untagged).list_policies, MaxItems=1)


def test_source_identity_is_set_checked_and_kept(server, iam, setup, idp):
    source = "https://aws.amazon.com/SAML/Attributes/SourceIdentity"
    iam.put_role_policy(RoleName="saml-admins", PolicyName="by-source", PolicyDocument=allow(
        "iam:ListRoles", condition={"StringEquals": {"aws:SourceIdentity": "alice@example.com"}}))
    reply = assume(server, setup, idp.encoded_response(
        "alice", attributes(setup, extra={source: ["alice@example.com"]})))
    assert reply["SourceIdentity"] == "alice@example.com"
    credentials = reply["Credentials"]
    session_iam = server.client("iam", credentials["AccessKeyId"], credentials["SecretAccessKey"],
                                credentials["SessionToken"])
    session_iam.list_roles()
    # Without a source identity the same role's sessions may not list roles.
    plain = assume(server, setup, idp.encoded_response("alice", attributes(setup)))
    assert "SourceIdentity" not in plain
    plain_iam = server.client("iam", plain["Credentials"]["AccessKeyId"],
                              plain["Credentials"]["SecretAccessKey"], plain["Credentials"]["SessionToken"])
    expect_error("AccessDenied", plain_iam.list_roles)
    # A role whose trust does not allow sts:SetSourceIdentity refuses it; a bad value is refused.
    listed = attributes(setup, setup["readers"], extra={source: ["alice@example.com"]})
    expect_error("AccessDenied", assume, server, setup, idp.encoded_response("alice", listed),
                 role=setup["readers"])
    reserved = attributes(setup, extra={source: ["aws:admin"]})
    expect_error("InvalidIdentityToken", assume, server, setup, idp.encoded_response("alice", reserved))


def test_aws_cli_assume_role_with_saml(server, setup, idp, tmp_path):
    assertion_file = tmp_path / "assertion.b64"
    assertion_file.write_text(idp.encoded_response("alice", attributes(setup)))
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "",
           "AWS_DEFAULT_REGION": REGION, "AWS_CONFIG_FILE": "/dev/null",
           "AWS_SHARED_CREDENTIALS_FILE": "/dev/null"}
    env.pop("AWS_ACCESS_KEY_ID"), env.pop("AWS_SECRET_ACCESS_KEY")
    aws = Path(sys.executable).parent / "aws"
    result = subprocess.run(
        [str(aws), "sts", "assume-role-with-saml", "--endpoint-url", server.endpoint,
         "--role-arn", setup["role"], "--principal-arn", setup["provider"],
         "--saml-assertion", f"file://{assertion_file}", "--output", "json"],
        capture_output=True, text=True, env=env, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert reply["Credentials"]["AccessKeyId"].startswith("ASIA")
    assert reply["AssumedRoleUser"]["Arn"].endswith("assumed-role/saml-admins/alice@example.com")


# --- refusals -------------------------------------------------------------------------------


def test_trust_conditions_and_the_role_attribute_decide(server, setup, idp):
    alice = idp.encoded_response("alice", attributes(setup, setup["role"], setup["bob_only"], setup["untrusting"]))
    expect_error("AccessDenied", assume, server, setup, alice, role=setup["bob_only"])
    expect_error("AccessDenied", assume, server, setup, alice, role=setup["untrusting"])
    # A role the assertion does not list, though its trust would allow it.
    expect_error("AccessDenied", assume, server, setup, alice, role=setup["readers"])
    bob = idp.encoded_response("bob", attributes(setup, setup["bob_only"], session_name="bob"))
    assert assume(server, setup, bob, role=setup["bob_only"])["Subject"] == "bob"


def parse(document: str):
    return etree.fromstring(document.encode())


def serialize(root) -> str:
    return etree.tostring(root).decode()


def signed_response(idp, setup, name="alice"):
    return parse(idp.response(name, attributes(setup), sign_response=True, sign_assertion=False))


def signed_assertion(idp, setup, name="alice"):
    return parse(idp.response(name, attributes(setup), sign_response=False, sign_assertion=True))


def evil_copy(assertion):
    """A copy of `assertion` for `admin`, with another ID and no signature."""
    evil = copy.deepcopy(assertion)
    evil.set("ID", "_evil" + evil.get("ID"))
    for signature in evil.findall("ds:Signature", NS):
        evil.remove(signature)
    evil.find("a:Subject/a:NameID", NS).text = "admin"
    return evil


def xsw(variant: int, idp, setup) -> str:
    """The XML signature wrapping attacks, as SAML Raider names them: 1–2 wrap a signed
    response, 3–8 a signed assertion; the forged content sits where a careless reader looks."""
    if variant in (1, 2):
        root = signed_response(idp, setup)
        original = copy.deepcopy(root)
        signature = root.find("ds:Signature", NS)
        root.set("ID", "_evil")
        root.find("a:Assertion/a:Subject/a:NameID", NS).text = "admin"
        for stale in original.findall("ds:Signature", NS):
            original.remove(stale)
        if variant == 1:
            signature.append(original)
        else:
            root.insert(list(root).index(signature), original)
        return serialize(root)
    root = signed_assertion(idp, setup)
    assertion = root.find("a:Assertion", NS)
    signature = assertion.find("ds:Signature", NS)
    evil = evil_copy(assertion)
    position = list(root).index(assertion)
    if variant == 3:
        root.insert(position, evil)
    elif variant == 4:
        root.replace(assertion, evil)
        evil.append(assertion)
    elif variant == 5:
        assertion.remove(signature)
        evil.insert(1, signature)
        root.replace(assertion, evil)
        root.append(assertion)
    elif variant == 6:
        assertion.remove(signature)
        evil.insert(1, signature)
        root.replace(assertion, evil)
        signature.append(assertion)
    elif variant == 7:
        root.replace(assertion, evil)
        extensions = etree.SubElement(root, f"{{{PROTOCOL}}}Extensions")
        root.insert(1, extensions)
        extensions.append(assertion)
    elif variant == 8:
        assertion.remove(signature)
        evil.insert(1, signature)
        root.replace(assertion, evil)
        holder = etree.SubElement(signature, f"{{{DSIG}}}Object")
        holder.append(assertion)
    return serialize(root)


@pytest.mark.parametrize("variant", range(1, 9))
def test_signature_wrapping_is_refused(server, setup, idp, variant):
    expect_error("InvalidIdentityToken", assume, server, setup, encode(xsw(variant, idp, setup)))


def test_an_unsigned_assertion_beside_the_signed_one_is_refused(server, setup, idp):
    root = signed_assertion(idp, setup)
    root.append(evil_copy(root.find("a:Assertion", NS)))
    expect_error("InvalidIdentityToken", assume, server, setup, encode(serialize(root)))
    # The signed assertion swapped for a forged one, its signature left behind in the response.
    root = signed_assertion(idp, setup)
    assertion = root.find("a:Assertion", NS)
    signature = assertion.find("ds:Signature", NS)
    assertion.remove(signature)
    root.insert(1, signature)
    root.replace(assertion, evil_copy(assertion))
    expect_error("InvalidIdentityToken", assume, server, setup, encode(serialize(root)))


def test_tampering_after_signing_is_refused(server, setup, idp):
    document = idp.response("alice", attributes(setup))
    expect_error("InvalidIdentityToken", assume, server, setup, encode(document.replace(">alice<", ">admin<")))


def test_comment_injection_in_the_name_id_is_refused(server, setup, idp):
    document = idp.response("admin@example.com.evil.com", attributes(setup))
    injected = document.replace(">admin@example.com.evil.com<", ">admin@example.com<!---->.evil.com<")
    assert injected != document
    expect_error("InvalidIdentityToken", assume, server, setup, encode(injected))


def test_dtds_and_external_entities_are_refused(server, setup, idp):
    document = idp.response("alice", attributes(setup))
    body = document.split("?>", 1)[1]
    doctype = '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
    expect_error("InvalidIdentityToken", assume, server, setup, encode(doctype + body))
    expect_error("InvalidIdentityToken", assume, server, setup,
                 encode(doctype + body.replace(">alice<", ">&xxe;<")))


def test_a_signature_by_another_key_is_refused(server, setup):
    with SamlIdp(server.endpoint, entity_id="http://127.0.0.1/test-idp") as impostor:
        forged = impostor.encoded_response("alice", attributes(setup))
    expect_error("InvalidIdentityToken", assume, server, setup, forged)


def test_audience_recipient_and_times_are_checked(server, setup, idp):
    other_audience = idp.encoded_response("alice", attributes(setup), audience=OTHER_SP[0])
    expect_error("IDPRejectedClaim", assume, server, setup, other_audience)
    elsewhere = idp.encoded_response("alice", attributes(setup), destination=OTHER_SP[1])
    expect_error("InvalidIdentityToken", assume, server, setup, elsewhere)
    expired = idp.encoded_response("alice", attributes(setup), clock_offset_seconds=-3600)
    expect_error("ExpiredTokenException", assume, server, setup, expired)
    future = idp.encoded_response("alice", attributes(setup), clock_offset_seconds=3600)
    expect_error("InvalidIdentityToken", assume, server, setup, future)


def test_oversized_and_deeply_nested_documents_are_refused(server, setup, idp):
    unchecked = boto3.client(
        "sts", endpoint_url=server.endpoint, region_name=REGION,
        config=CLIENT_CONFIG.merge(Config(signature_version=UNSIGNED, parameter_validation=False)),
    )
    expect_error("ValidationError", unchecked.assume_role_with_saml, RoleArn=setup["role"],
                 PrincipalArn=setup["provider"], SAMLAssertion="A" * 100_004)
    root = signed_response(idp, setup)
    deep = root.find("a:Assertion/a:AttributeStatement/a:Attribute/a:AttributeValue", NS)
    for _ in range(60):
        deep = etree.SubElement(deep, "nest")
    expect_error("InvalidIdentityToken", assume, server, setup, encode(serialize(root)))


def test_sha1_signatures_are_refused(server, setup, idp):
    response = idp.server.create_authn_response(
        attributes(setup), in_response_to=None, destination=idp.acs_url,
        sp_entity_id=idp.sp_entity_id, name_id=NameID(text="alice"),
        sign_response=True, sign_alg=SIG_RSA_SHA1, digest_alg=DIGEST_SHA1,
        authn={"class_ref": "urn:oasis:names:tc:SAML:2.0:ac:classes:Password"}, userid="alice",
    )
    assert "rsa-sha1" in str(response)
    expect_error("InvalidIdentityToken", assume, server, setup, encode(str(response)))


def test_an_unknown_provider_or_account_is_refused(server, setup, idp):
    assertion = idp.encoded_response("alice", attributes(setup))
    error = expect_error("InvalidIdentityToken", sts_from(server).assume_role_with_saml,
                         RoleArn=setup["role"], PrincipalArn=f"arn:aws:iam::{ACCOUNT_ID}:saml-provider/nobody",
                         SAMLAssertion=assertion)
    # The same words as a bad signature: a stranger learns nothing of which providers exist.
    tampered = encode(idp.response("alice", attributes(setup)).replace(">alice<", ">admin<"))
    bad_signature = expect_error("InvalidIdentityToken", assume, server, setup, tampered)
    assert error.response["Error"]["Message"] == bad_signature.response["Error"]["Message"]
    elsewhere = expect_error("InvalidIdentityToken", sts_from(server).assume_role_with_saml,
                             RoleArn="arn:aws:iam::999999999999:role/x",
                             PrincipalArn="arn:aws:iam::999999999999:saml-provider/corp",
                             SAMLAssertion=assertion)
    assert elsewhere.response["Error"]["Message"] == bad_signature.response["Error"]["Message"]


def test_references_outside_the_signed_element_are_refused_at_once(server, setup, idp):
    document = idp.response("alice", attributes(setup))
    reference = document.split('Reference URI="', 1)[1].split('"', 1)[0]
    started = time.monotonic()
    expect_error("InvalidIdentityToken", assume, server, setup,
                 encode(document.replace(reference, "file:///dev/zero")))
    assert time.monotonic() - started < 5


def test_refusals_count_against_their_address(server, setup, idp):
    bad = encode(idp.response("alice", attributes(setup)).replace(">alice<", ">admin<"))
    address = "203.0.113.77"
    codes = []
    for _ in range(13):
        try:
            assume(server, setup, bad, address=address)
        except Exception as error:  # noqa: BLE001 - botocore's ClientError
            codes.append(code_of(error))
    assert codes[:10] == ["InvalidIdentityToken"] * 10
    assert "Throttling" in codes[10:], codes
    # Another address is not held back.
    good = idp.encoded_response("alice", attributes(setup))
    assert assume(server, setup, good)["Subject"] == "alice"


# --- console sign-in: the IdP posts the response to POST /saml ------------------------------


def browser_from(address):
    """A browser whose requests come from `address` (the module's server trusts the proxy)."""
    browser = Browser()
    browser.opener.addheaders = [("X-Forwarded-For", address)]
    return browser


def posted_from_idp(browser, server, encoded, relay_state=None):
    """What an IdP's auto-submitting page does: a cross-site POST to the ACS."""
    fields = {"SAMLResponse": encoded}
    if relay_state is not None:
        fields["RelayState"] = relay_state
    return browser.post(f"{server.endpoint}/saml", fields,
                        headers={"Origin": "http://127.0.0.1:1", "Sec-Fetch-Site": "cross-site"})


def signed_in_as(server, browser) -> str:
    """The console header's principal (the role may lack permissions: the page may be a 403)."""
    page = browser.get(f"{server.endpoint}/users")
    assert page.status in (200, 403) and 'data-testid="principal-name"' in page.body, page.status
    return page.body.split('data-testid="principal-name"', 1)[1].split("</div>", 1)[0]


def test_console_sign_in_with_one_role_lands_in_the_console(server, setup, idp):
    browser = browser_from("198.51.100.201")
    answer = posted_from_idp(browser, server, idp.encoded_response("alice", attributes(setup)),
                             relay_state="/roles")
    assert answer.status == 303 and answer.location == f"{server.endpoint}/roles", answer.body
    assert "saml-admins/alice@example.com" in signed_in_as(server, browser)
    browser.post(f"{server.endpoint}/api/auth/sign_out", {})
    assert browser.get(f"{server.endpoint}/users").status in (302, 303)


def test_console_sign_in_offers_the_listed_trusting_roles(server, setup, idp):
    browser = browser_from("198.51.100.202")
    listed = attributes(setup, setup["role"], setup["readers"], setup["untrusting"])
    answer = posted_from_idp(browser, server, idp.encoded_response("alice", listed))
    assert answer.status == 303 and answer.location == f"{server.endpoint}/saml/roles"
    choices = browser.get(answer.location)
    assert choices.status == 200
    assert setup["role"] in choices.body and setup["readers"] in choices.body
    assert "saml-untrusting" not in choices.body
    refused = browser.post(f"{server.endpoint}/saml/roles", {"role_arn": setup["untrusting"]})
    assert refused.status == 403 and "Choose one of the roles listed." in refused.body
    chosen = browser.post(f"{server.endpoint}/saml/roles", {"role_arn": setup["readers"]})
    assert chosen.status == 303 and chosen.location == f"{server.endpoint}/"
    assert "saml-readers/alice@example.com" in signed_in_as(server, browser)


def test_console_accepts_each_assertion_once(server, setup, idp):
    encoded = idp.encoded_response("alice", attributes(setup))
    first = posted_from_idp(browser_from("198.51.100.203"), server, encoded)
    assert first.status == 303
    thief = browser_from("198.51.100.204")
    replayed = posted_from_idp(thief, server, encoded)
    assert replayed.status == 403 and "used already" in replayed.body
    assert thief.get(f"{server.endpoint}/users").status in (302, 303)


def test_console_refuses_what_sts_refuses(server, setup, idp):
    browser = browser_from("198.51.100.205")
    forged = encode(xsw(3, idp, setup))
    answer = posted_from_idp(browser, server, forged)
    assert answer.status == 403 and "Single sign-on refused" in answer.body
    tampered = encode(idp.response("alice", attributes(setup)).replace(">alice<", ">admin<"))
    assert posted_from_idp(browser, server, tampered).status == 403
    # RelayState never leads off this console.
    off_site = posted_from_idp(browser, server, idp.encoded_response("alice", attributes(setup)),
                               relay_state="https://evil.example.com/")
    assert off_site.status == 303 and off_site.location == f"{server.endpoint}/"
    assert browser.get(f"{server.endpoint}/saml/roles").status == 403
