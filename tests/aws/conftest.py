"""One Ferriam server for the whole session, set up headlessly as a script would: an account
(`ferriam account create`), a root access key with a known pair (`ferriam access-key create`),
then `ferriam serve` on a free loopback port. Fixtures hand out boto3 clients and unique names,
so tests never depend on each other's entities."""

import json
import os
import socket
import subprocess
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import boto3
import pytest
from botocore.config import Config

from helpers import ACCOUNT_ID, REGION, ROOT_KEY_ID, ROOT_PASSWORD, ROOT_SECRET
# Retries would hide the first error and slow every failing test down.
CLIENT_CONFIG = Config(retries={"max_attempts": 1, "mode": "standard"})


def ferriam_bin() -> str:
    explicit = os.environ.get("FERRIAM_BIN")
    if explicit:
        return explicit
    target = os.environ.get("CARGO_TARGET_DIR", str(Path.home() / ".cargo/ferriam-target"))
    return str(Path(target) / "debug" / "ferriam")


def run_cli(data_dir: str, *args: str) -> dict:
    out = subprocess.run(
        [ferriam_bin(), "--data-dir", data_dir, *args],
        check=True,
        capture_output=True,
        text=True,
        env={**os.environ, "FERRIAM_LOG": "warn"},
    )
    return json.loads(out.stdout)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    def __init__(self, endpoint: str, data_dir: str):
        self.endpoint = endpoint
        self.data_dir = data_dir
        self.db_path = str(Path(data_dir) / "ferriam.db")

    def client(self, service: str, key_id=ROOT_KEY_ID, secret=ROOT_SECRET, token=None,
               validate=True):
        """A boto3 client; `validate=False` sends what botocore would refuse, so the server's
        own validation answers."""
        return boto3.client(
            service,
            endpoint_url=self.endpoint,
            region_name=REGION,
            aws_access_key_id=key_id,
            aws_secret_access_key=secret,
            aws_session_token=token,
            config=CLIENT_CONFIG.merge(Config(parameter_validation=validate)),
        )


@pytest.fixture(scope="session")
def server():
    with tempfile.TemporaryDirectory(prefix="ferriam-aws-") as data_dir:
        password_file = Path(data_dir) / "root-password"
        password_file.write_text(ROOT_PASSWORD + "\n")
        account = run_cli(
            data_dir,
            "account", "create",
            "--email", "aws-tests@example.com",
            "--password-file", str(password_file),
            "--account-id", ACCOUNT_ID,
        )
        assert account["AccountId"] == ACCOUNT_ID
        key = run_cli(
            data_dir,
            "access-key", "create",
            "--account", ACCOUNT_ID,
            "--access-key-id", ROOT_KEY_ID,
            "--secret-access-key", ROOT_SECRET,
        )
        assert key["AccessKeyId"] == ROOT_KEY_ID
        port = free_port()
        log = open(Path(data_dir) / "server.log", "w")
        process = subprocess.Popen(
            [ferriam_bin(), "--data-dir", data_dir, "serve", "--addr", f"127.0.0.1:{port}"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "FERRIAM_LOG": "warn"},
        )
        endpoint = f"http://127.0.0.1:{port}"
        try:
            wait_until_up(endpoint, process)
            yield Server(endpoint, data_dir)
        finally:
            process.terminate()
            process.wait(timeout=10)
            log.close()


def wait_until_up(endpoint: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"ferriam serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{endpoint}/healthz", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("ferriam serve did not answer /healthz within 30 s")


@pytest.fixture(scope="session")
def iam(server):
    return server.client("iam")


@pytest.fixture(scope="session")
def unchecked_iam(server):
    return server.client("iam", validate=False)


@pytest.fixture(scope="session")
def sts(server):
    return server.client("sts")


@pytest.fixture
def name():
    """A factory of unique entity names: `name("user")` → `user-3f9a…`."""
    return lambda prefix="e": f"{prefix}-{uuid.uuid4().hex[:12]}"


@pytest.fixture
def user_with_key(server, iam, name):
    """Creates a user with an access key; returns (user name, iam client, sts client) acting
    as that user."""

    def make(policy: str | None = None):
        user = name("user")
        iam.create_user(UserName=user)
        if policy is not None:
            iam.put_user_policy(
                UserName=user, PolicyName="inline", PolicyDocument=policy
            )
        key = iam.create_access_key(UserName=user)["AccessKey"]
        return (
            user,
            server.client("iam", key["AccessKeyId"], key["SecretAccessKey"]),
            server.client("sts", key["AccessKeyId"], key["SecretAccessKey"]),
        )

    return make
