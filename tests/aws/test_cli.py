"""The `aws` command line (awscli, installed in the same virtualenv) against the server, with
credentials in environment variables as a script would set them."""

import json
import os
import subprocess
import sys
from pathlib import Path

from helpers import ACCOUNT_ID, REGION, ROOT_KEY_ID, ROOT_SECRET


def aws(server, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": server.data_dir,
        "AWS_ACCESS_KEY_ID": ROOT_KEY_ID,
        "AWS_SECRET_ACCESS_KEY": ROOT_SECRET,
        "AWS_DEFAULT_REGION": REGION,
        "AWS_CONFIG_FILE": os.devnull,
        "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
    }
    aws_bin = str(Path(sys.executable).parent / "aws")
    return subprocess.run(
        [aws_bin, *args, "--endpoint-url", server.endpoint, "--output", "json"],
        env=env, capture_output=True, text=True, check=check, timeout=60,
    )


# Each `aws` run costs a second or two of Python start-up: the CLI covers what only it does
# (argument parsing, file://, its own pagination, exit codes), boto3 the rest.


def test_cli_create_user_and_caller_identity(server, iam, name):
    user = name("cli")
    created = json.loads(aws(server, "iam", "create-user", "--user-name", user).stdout)
    assert created["User"]["Arn"] == f"arn:aws:iam::{ACCOUNT_ID}:user/{user}"
    assert iam.get_user(UserName=user)["User"]["UserId"] == created["User"]["UserId"]
    identity = json.loads(aws(server, "sts", "get-caller-identity").stdout)
    assert identity == {
        "UserId": ACCOUNT_ID,
        "Account": ACCOUNT_ID,
        "Arn": f"arn:aws:iam::{ACCOUNT_ID}:root",
    }
    iam.delete_user(UserName=user)


def test_cli_policy_from_a_file(server, iam, name, tmp_path):
    document = tmp_path / "policy.json"
    document.write_text(json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}],
    }))
    policy_name = name("clipol")
    created = json.loads(aws(server, "iam", "create-policy", "--policy-name", policy_name,
                             "--policy-document", f"file://{document}").stdout)
    arn = created["Policy"]["Arn"]
    version = iam.get_policy_version(PolicyArn=arn, VersionId="v1")
    assert version["PolicyVersion"]["Document"]["Statement"][0]["Action"] == "s3:GetObject"
    iam.delete_policy(PolicyArn=arn)


def test_cli_errors_exit_non_zero_with_the_aws_code(server, name):
    failed = aws(server, "iam", "get-user", "--user-name", name("ghost"), check=False)
    assert failed.returncode != 0
    assert "(NoSuchEntity)" in failed.stderr


def test_cli_paginates_on_its_own(server, iam, name):
    path = f"/{name('clip')}/"
    users = [name("cp") for _ in range(3)]
    for user in users:
        iam.create_user(UserName=user, Path=path)
    listed = json.loads(aws(server, "iam", "list-users", "--path-prefix", path,
                            "--page-size", "1").stdout)
    assert sorted(u["UserName"] for u in listed["Users"]) == sorted(users)
    for user in users:
        iam.delete_user(UserName=user)
