"""Workload credentials end to end: an operator issues a workload token for an instance profile
(`ferriam workload-token create`), and boto3 and the aws CLI — with no keys configured, only
AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE) — get the
profile's role credentials through the SDKs' own container-credentials provider. With the
server's clock moved past their expiry (its --test-clock-offset-file), the SDK fetches new ones
by itself; a revoked token is the SDK's credential error."""

import datetime
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import boto3
import botocore.auth
import botocore.session
import pytest

from conftest import running_server
from helpers import ACCOUNT_ID, REGION, allow
from servers import run_cli

EC2_TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"},
                   "Action": "sts:AssumeRole"}],
})


@pytest.fixture(scope="module")
def clock_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("clock") / "offset"
    path.write_text("0")
    return path


@pytest.fixture(scope="module")
def server(clock_file):
    with running_server("--test-clock-offset-file", str(clock_file)) as running:
        yield running


@pytest.fixture(scope="module")
def iam(server):
    return server.client("iam")


@pytest.fixture(scope="module")
def profile(iam):
    """The profile `web-servers` holding the role `web`, which trusts EC2 and may list roles."""
    iam.create_role(RoleName="web", AssumeRolePolicyDocument=EC2_TRUST)
    iam.put_role_policy(RoleName="web", PolicyName="read", PolicyDocument=allow("iam:ListRoles"))
    iam.create_instance_profile(InstanceProfileName="web-servers")
    iam.add_role_to_instance_profile(InstanceProfileName="web-servers", RoleName="web")
    return "web-servers"


def issue_token(server, profile) -> dict:
    issued = run_cli(server.data_dir, "workload-token", "create", "--account", ACCOUNT_ID,
                     "--instance-profile", profile)
    assert issued["InstanceProfileName"] == profile and issued["Token"].startswith("fwt_")
    return issued


def uses_of(server, profile, token_id) -> int:
    listed = run_cli(server.data_dir, "workload-token", "list", "--account", ACCOUNT_ID,
                     "--instance-profile", profile)["WorkloadTokens"]
    return [t for t in listed if t["TokenId"] == token_id][0]["Uses"]


def keyless_env(server, tmp_path, **container) -> dict:
    """An environment with no keys and no AWS config files: only the container variables."""
    return {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(tmp_path),
        "AWS_CONFIG_FILE": str(tmp_path / "no-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-credentials"),
        "AWS_DEFAULT_REGION": REGION,
        "AWS_EC2_METADATA_DISABLED": "true",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI": f"{server.endpoint}/workload/credentials",
        **container,
    }


def aws_cli(env, *args):
    aws = str(Path(sys.executable).parent / "aws")
    return subprocess.run([aws, *args], env=env, capture_output=True, text=True, timeout=60)


def test_the_cli_and_boto3_run_as_the_role_with_no_keys(server, profile, tmp_path):
    issued = issue_token(server, profile)
    env = keyless_env(server, tmp_path, AWS_CONTAINER_AUTHORIZATION_TOKEN=issued["Token"])
    out = aws_cli(env, "sts", "get-caller-identity", "--endpoint-url", server.endpoint)
    assert out.returncode == 0, out.stderr
    me = json.loads(out.stdout)
    assert me["Arn"] == f"arn:aws:sts::{ACCOUNT_ID}:assumed-role/web/{issued['TokenId']}"
    assert me["Account"] == ACCOUNT_ID
    # boto3 in a process of its own, from the token file the SDKs also read.
    token_file = tmp_path / "token"
    token_file.write_text(issued["Token"])
    env = keyless_env(server, tmp_path, AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE=str(token_file))
    script = (
        "import boto3, json, sys; "
        f"iam = boto3.client('iam', endpoint_url='{server.endpoint}'); "
        "print(json.dumps([r['RoleName'] for r in iam.list_roles()['Roles']]))"
    )
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "web" in json.loads(out.stdout)
    assert uses_of(server, profile, issued["TokenId"]) == 2


def test_the_sdk_fetches_new_credentials_when_they_expire(server, profile, clock_file,
                                                         tmp_path, monkeypatch):
    issued = issue_token(server, profile)
    for key, value in keyless_env(server, tmp_path,
                                  AWS_CONTAINER_AUTHORIZATION_TOKEN=issued["Token"]).items():
        monkeypatch.setenv(key, value)
    for key in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN",
                "AWS_PROFILE"):
        monkeypatch.delenv(key, raising=False)
    session = boto3.Session(botocore_session=botocore.session.Session())
    credentials = session.get_credentials()
    assert credentials.method == "container-role"
    sts = session.client("sts", endpoint_url=server.endpoint)
    first = credentials.get_frozen_credentials().access_key
    assert sts.get_caller_identity()["Arn"].endswith(f"/{issued['TokenId']}")
    assert uses_of(server, profile, issued["TokenId"]) == 1

    # An hour and a minute later — on the server's clock and on the SDK's.
    offset = 3660
    clock_file.write_text(str(offset))
    time.sleep(0.3)
    # The SDK's clock moves as far: it signs by it and decides by it when to refresh.
    credentials._time_fetcher = lambda: _local_now_plus(offset)
    monkeypatch.setattr(
        botocore.auth, "get_current_datetime",
        lambda remove_tzinfo=True: _local_now_plus(offset).replace(
            tzinfo=None if remove_tzinfo else datetime.timezone.utc))
    assert sts.get_caller_identity()["Arn"].endswith(f"/{issued['TokenId']}")
    assert credentials.get_frozen_credentials().access_key != first
    assert uses_of(server, profile, issued["TokenId"]) == 2
    clock_file.write_text("0")
    time.sleep(0.3)


def _local_now_plus(seconds):
    return datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=seconds)


def test_a_revoked_token_is_the_sdks_credential_error(server, profile, tmp_path):
    issued = issue_token(server, profile)
    run_cli(server.data_dir, "workload-token", "delete", "--account", ACCOUNT_ID,
            "--instance-profile", profile, "--token-id", issued["TokenId"])
    env = keyless_env(server, tmp_path, AWS_CONTAINER_AUTHORIZATION_TOKEN=issued["Token"])
    out = aws_cli(env, "sts", "get-caller-identity", "--endpoint-url", server.endpoint)
    assert out.returncode != 0
    assert "retrieving credentials from container-role" in out.stderr, out.stderr
