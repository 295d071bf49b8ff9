"""AssumeRoleWithWebIdentity end to end with a real OpenID provider (oidc-provider on loopback):
boto3 registers the provider and a role that trusts it, the provider signs a person in and
issues an ID token, and STS trades it for the role's credentials — through boto3, and through
the SDKs' own web-identity flow (AWS_ROLE_ARN + AWS_WEB_IDENTITY_TOKEN_FILE) in boto3 and the
aws CLI, as Kubernetes service accounts and CI jobs use it. Refusals come in AWS's codes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from botocore import UNSIGNED
from botocore.config import Config

from conftest import running_server
from helpers import ACCOUNT_ID, REGION, allow, aws_error, code_of
from oidc_idp import OidcProvider
from servers import CLIENT_CONFIG

CLIENT = "ferriam-sts"


@pytest.fixture(scope="module")
def server():
    """A server of its own: the refused tokens these tests send count against the address, and
    on the shared server they would throttle the modules after this one (or it after them)."""
    with running_server() as running:
        yield running


@pytest.fixture(scope="module")
def iam(server):
    return server.client("iam")


@pytest.fixture(scope="module")
def idp():
    accounts = {
        "alice": {"email": "alice@example.com"},
        "mallory": {"email": "mallory@example.com"},
    }
    with OidcProvider(accounts=accounts) as provider:
        yield provider


def host_of(issuer: str) -> str:
    return issuer.removeprefix("http://")


@pytest.fixture(scope="module")
def trusting_role(server, iam, idp):
    """The provider registered, and a role `alice` (and only alice) may assume with its tokens."""
    arn = iam.create_open_id_connect_provider(Url=idp.issuer, ClientIDList=[CLIENT])[
        "OpenIDConnectProviderArn"
    ]
    host = host_of(idp.issuer)
    trust = {
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": {"Federated": arn},
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {f"{host}:aud": CLIENT, f"{host}:sub": "alice"}},
        }],
    }
    role = iam.create_role(RoleName="web-identity-ci", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(
        RoleName="web-identity-ci", PolicyName="list-users", PolicyDocument=allow("iam:ListUsers")
    )
    yield arn, role["Role"]["Arn"]


def unsigned_sts(server):
    return boto3.client(
        "sts", endpoint_url=server.endpoint, region_name=REGION,
        config=CLIENT_CONFIG.merge(Config(signature_version=UNSIGNED)),
    )


def test_the_provider_is_registered_as_aws_reports_it(iam, idp, trusting_role):
    arn, _ = trusting_role
    assert arn == f"arn:aws:iam::{ACCOUNT_ID}:oidc-provider/{host_of(idp.issuer)}"
    got = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=arn)
    assert got["Url"] == host_of(idp.issuer)
    assert got["ClientIDList"] == [CLIENT]
    listed = [p["Arn"] for p in iam.list_open_id_connect_providers()["OpenIDConnectProviderList"]]
    assert arn in listed
    error = aws_error(iam.create_open_id_connect_provider, Url=idp.issuer, ClientIDList=[CLIENT])
    assert code_of(error) == "EntityAlreadyExists"


def test_a_token_from_the_provider_buys_the_role_s_credentials(server, idp, trusting_role):
    provider_arn, role_arn = trusting_role
    token = idp.id_token("alice", CLIENT)
    answer = unsigned_sts(server).assume_role_with_web_identity(
        RoleArn=role_arn, RoleSessionName="pipeline-7", WebIdentityToken=token,
        DurationSeconds=900,
    )
    assert answer["SubjectFromWebIdentityToken"] == "alice"
    assert answer["Provider"] == provider_arn
    assert answer["Audience"] == CLIENT
    assert answer["AssumedRoleUser"]["Arn"] == (
        f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/web-identity-ci/pipeline-7"
    )
    credentials = answer["Credentials"]
    session = dict(
        endpoint_url=server.endpoint, region_name=REGION, config=CLIENT_CONFIG,
        aws_access_key_id=credentials["AccessKeyId"],
        aws_secret_access_key=credentials["SecretAccessKey"],
        aws_session_token=credentials["SessionToken"],
    )
    me = boto3.client("sts", **session).get_caller_identity()
    assert me["Arn"] == f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/web-identity-ci/pipeline-7"
    # The role's policy is in effect, and nothing more.
    boto3.client("iam", **session).list_users()
    denied = aws_error(boto3.client("iam", **session).list_roles)
    assert code_of(denied) == "AccessDenied"


def test_a_subject_the_trust_policy_does_not_name_is_refused(server, idp, trusting_role):
    _, role_arn = trusting_role
    token = idp.id_token("mallory", CLIENT)
    error = aws_error(
        unsigned_sts(server).assume_role_with_web_identity,
        RoleArn=role_arn, RoleSessionName="intruder", WebIdentityToken=token,
    )
    assert code_of(error) == "AccessDenied"
    assert error.response["ResponseMetadata"]["HTTPStatusCode"] == 403


def test_a_token_whose_signature_is_broken_is_invalid(server, idp, trusting_role):
    _, role_arn = trusting_role
    header, payload, signature = idp.id_token("alice", CLIENT).split(".")
    forged = f"{header}.{payload}.{signature[:-4]}AAAA"
    error = aws_error(
        unsigned_sts(server).assume_role_with_web_identity,
        RoleArn=role_arn, RoleSessionName="forged", WebIdentityToken=forged,
    )
    assert code_of(error) == "InvalidIdentityToken"


def test_an_issuer_that_is_down_is_a_communication_error(server, iam):
    with OidcProvider(accounts={"alice": {}}) as down:
        arn = iam.create_open_id_connect_provider(Url=down.issuer, ClientIDList=[CLIENT])[
            "OpenIDConnectProviderArn"
        ]
        token = down.id_token("alice", CLIENT)
        trust = {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow", "Principal": {"Federated": arn},
            "Action": "sts:AssumeRoleWithWebIdentity"}]}
        role = iam.create_role(RoleName="down-idp", AssumeRolePolicyDocument=json.dumps(trust))
        down.stop()
        error = aws_error(
            unsigned_sts(server).assume_role_with_web_identity,
            RoleArn=role["Role"]["Arn"], RoleSessionName="waiting", WebIdentityToken=token,
        )
        assert code_of(error) == "IDPCommunicationError"
        # The provider comes back: the same token now works.
        down.start()
        unsigned_sts(server).assume_role_with_web_identity(
            RoleArn=role["Role"]["Arn"], RoleSessionName="back", WebIdentityToken=token,
        )


def web_identity_env(server, role_arn: str, token_file: Path) -> dict:
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": server.data_dir,
        "AWS_ROLE_ARN": role_arn,
        "AWS_WEB_IDENTITY_TOKEN_FILE": str(token_file),
        "AWS_ROLE_SESSION_NAME": "from-token-file",
        "AWS_ENDPOINT_URL_STS": server.endpoint,
        "AWS_ENDPOINT_URL_IAM": server.endpoint,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }


def test_the_sdks_own_web_identity_flow_works_unchanged(server, idp, trusting_role, tmp_path):
    _, role_arn = trusting_role
    token_file = tmp_path / "token"
    token_file.write_text(idp.id_token("alice", CLIENT))
    env = web_identity_env(server, role_arn, token_file)
    expected = f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/web-identity-ci/from-token-file"

    aws_bin = str(Path(sys.executable).parent / "aws")
    cli = subprocess.run(
        [aws_bin, "sts", "get-caller-identity", "--output", "json"],
        env=env, capture_output=True, text=True, timeout=60,
    )
    assert cli.returncode == 0, cli.stderr
    assert json.loads(cli.stdout)["Arn"] == expected

    script = "import boto3; print(boto3.client('sts').get_caller_identity()['Arn'])"
    sdk = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert sdk.returncode == 0, sdk.stderr
    assert sdk.stdout.strip() == expected
