"""Moving a serving SQLite installation to PostgreSQL with `ferriam db copy`, and restoring a
`ferriam backup`: afterwards the old access keys sign `aws iam` calls that see the same
entities, and the audit chain verifies."""

import os
import subprocess
import tempfile
from pathlib import Path

import pytest

from conftest import fresh_database
from helpers import ACCOUNT_ID, ROOT_KEY_ID, ROOT_PASSWORD, ROOT_SECRET, allow
from servers import Server, ferriam_bin, free_port, run_cli, wait_until_up

READ_IAM = allow(["iam:Get*", "iam:List*"])


def serve(data_dir: str, *database: str):
    """A `ferriam serve` on `data_dir` (its SQLite file unless a --database-url is given)."""
    port = free_port()
    log = open(Path(data_dir) / f"server-{port}.log", "w")
    process = subprocess.Popen(
        [ferriam_bin(), "--data-dir", data_dir, *database, "serve", "--addr", f"127.0.0.1:{port}"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "FERRIAM_LOG": "warn"},
    )
    endpoint = f"http://127.0.0.1:{port}"
    wait_until_up(endpoint, process)
    return process, log, Server(endpoint, data_dir)


def stop(process, log) -> None:
    process.terminate()
    process.wait(timeout=10)
    log.close()


def what_the_user_sees(server: Server, key_id: str, secret: str) -> dict:
    iam = server.client("iam", key_id, secret)
    return {
        "user": iam.get_user(UserName="mover")["User"]["UserId"],
        "groups": [g["GroupName"] for g in iam.list_groups_for_user(UserName="mover")["Groups"]],
        "policy": iam.get_policy_version(
            PolicyArn=f"arn:aws:iam::{ACCOUNT_ID}:policy/movers",
            VersionId="v2")["PolicyVersion"]["Document"],
        "keys": sorted(k["AccessKeyId"]
                       for k in iam.list_access_keys(UserName="mover")["AccessKeyMetadata"]),
    }


@pytest.fixture
def sqlite_installation():
    """A serving SQLite installation with a user, its key, a group and a two-version policy."""
    with tempfile.TemporaryDirectory(prefix="ferriam-moving-") as data_dir:
        password_file = Path(data_dir) / "root-password"
        password_file.write_text(ROOT_PASSWORD + "\n")
        run_cli(data_dir, "account", "create", "--email", "mover@example.com",
                "--password-file", str(password_file), "--account-id", ACCOUNT_ID)
        run_cli(data_dir, "access-key", "create", "--account", ACCOUNT_ID,
                "--access-key-id", ROOT_KEY_ID, "--secret-access-key", ROOT_SECRET)
        process, log, server = serve(data_dir)
        try:
            root = server.client("iam")
            root.create_user(UserName="mover")
            root.put_user_policy(UserName="mover", PolicyName="read", PolicyDocument=READ_IAM)
            root.create_group(GroupName="movers")
            root.add_user_to_group(GroupName="movers", UserName="mover")
            arn = root.create_policy(PolicyName="movers", PolicyDocument=READ_IAM)["Policy"]["Arn"]
            root.create_policy_version(PolicyArn=arn, PolicyDocument=READ_IAM, SetAsDefault=True)
            key = root.create_access_key(UserName="mover")["AccessKey"]
            seen = what_the_user_sees(server, key["AccessKeyId"], key["SecretAccessKey"])
            yield data_dir, server, key, seen
        finally:
            stop(process, log)


def test_db_copy_moves_a_serving_installation_and_its_keys_keep_working(sqlite_installation):
    server_url = os.environ.get("FERRIAM_TEST_POSTGRES")
    if not server_url:
        pytest.skip("FERRIAM_TEST_POSTGRES names no PostgreSQL server")
    data_dir, _, key, seen = sqlite_installation
    target = fresh_database(server_url)

    copied = run_cli(data_dir, "db", "copy", "--to", target)["Copied"]
    assert run_cli(data_dir, "--database-url", target, "db", "migrate")["SchemaVersion"] >= 1
    assert copied["users"] == 1 and copied["access_keys"] == 2 and copied["audit_events"] > 5
    refused = subprocess.run(
        [ferriam_bin(), "--data-dir", data_dir, "db", "copy", "--to", target],
        capture_output=True, text=True)
    assert refused.returncode == 1 and "not empty" in refused.stdout

    process, log, on_postgres = serve(data_dir, "--database-url", target)
    try:
        assert what_the_user_sees(on_postgres, key["AccessKeyId"], key["SecretAccessKey"]) == seen
        on_postgres.client("iam").create_user(UserName="after-the-move")
    finally:
        stop(process, log)
    verified = run_cli(data_dir, "--database-url", target, "audit", "verify")
    assert verified["Valid"] is True and verified["Records"] > copied["audit_events"]


def test_a_backup_taken_while_serving_restores_the_installation(sqlite_installation):
    data_dir, server, key, seen = sqlite_installation
    backup = Path(data_dir) / "backup.db"

    assert run_cli(data_dir, "backup", "--to", str(backup)) == {"Backup": str(backup)}
    server.client("iam").create_user(UserName="after-the-backup")

    # Restore as the README says: the file in place of ferriam.db, the same master key.
    with tempfile.TemporaryDirectory(prefix="ferriam-restored-") as restored_dir:
        (Path(restored_dir) / "ferriam.db").write_bytes(backup.read_bytes())
        master_key = Path(restored_dir) / "master.key"
        master_key.write_bytes((Path(data_dir) / "master.key").read_bytes())
        master_key.chmod(0o600)
        process, log, restored = serve(restored_dir)
        try:
            assert what_the_user_sees(restored, key["AccessKeyId"], key["SecretAccessKey"]) == seen
            users = [u["UserName"] for u in restored.client("iam").list_users()["Users"]]
            assert users == ["mover"], "the backup holds what was there when it was taken"
        finally:
            stop(process, log)
        assert run_cli(restored_dir, "audit", "verify")["Valid"] is True
