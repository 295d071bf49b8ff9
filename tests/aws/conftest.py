"""One Ferriam server for the whole session, set up headlessly as a script would: an account
(`ferriam account create`), a root access key with a known pair (`ferriam access-key create`),
then `ferriam serve` on a free loopback port. Fixtures hand out boto3 clients and unique names,
so tests never depend on each other's entities. A module whose refusals would trip the shared
server's per-address throttle (every client here is 127.0.0.1) starts its own with
`running_server()`."""

import contextlib
import os
import subprocess
import tempfile
import uuid
from pathlib import Path

import pytest

from helpers import ACCOUNT_ID, ROOT_KEY_ID, ROOT_PASSWORD, ROOT_SECRET
from servers import Server, ferriam_bin, free_port, run_cli, wait_until_up


@contextlib.contextmanager
def running_server(*extra_args: str):
    """A Ferriam server of its own: data directory, account, root key, loopback port; `serve`
    gets `extra_args` besides its usual ones."""
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
            [ferriam_bin(), "--data-dir", data_dir, "serve", "--addr", f"127.0.0.1:{port}",
             # The OpenID provider the federation tests start listens on plain http://127.0.0.1.
             "--allow-loopback-http-idp", *extra_args],
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


@pytest.fixture(scope="session")
def server():
    with running_server() as running:
        yield running


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
