"""Two `ferriam serve` processes on one PostgreSQL database, as behind a load balancer: a fresh
database on the server FERRIAM_TEST_POSTGRES names (`make test` starts a throwaway cluster), one
account and root key set up headlessly, one master key file shared by both instances."""

import json
import os
import subprocess
import sys
import tempfile
import uuid
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "aws"))

from servers import Server, ferriam_bin, free_port, wait_until_up  # noqa: E402
from helpers import ACCOUNT_ID, ROOT_KEY_ID, ROOT_PASSWORD, ROOT_SECRET  # noqa: E402

INSTANCES = 2


def fresh_database(server_url: str) -> str:
    name = f"i_{uuid.uuid4().hex}"
    subprocess.run(
        ["psql", server_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {name}"],
        check=True,
    )
    return server_url.rsplit("/", 1)[0] + "/" + name


class Cluster:
    def __init__(self, database_url: str, data_dir: str, instances: list):
        self.database_url = database_url
        self.data_dir = data_dir
        self.instances = instances

    def cli(self, *args: str) -> dict:
        out = subprocess.run(
            [ferriam_bin(), "--data-dir", self.data_dir, "--database-url", self.database_url,
             *args],
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "FERRIAM_LOG": "warn"},
        )
        return json.loads(out.stdout)


@pytest.fixture(scope="session")
def cluster():
    server_url = os.environ.get("FERRIAM_TEST_POSTGRES")
    if not server_url:
        pytest.skip("FERRIAM_TEST_POSTGRES names no PostgreSQL server")
    database_url = fresh_database(server_url)
    with tempfile.TemporaryDirectory(prefix="ferriam-instances-") as data_dir:
        cluster = Cluster(database_url, data_dir, [])
        password_file = Path(data_dir) / "root-password"
        password_file.write_text(ROOT_PASSWORD + "\n")
        cluster.cli("account", "create", "--email", "instances@example.com",
                    "--password-file", str(password_file), "--account-id", ACCOUNT_ID)
        cluster.cli("access-key", "create", "--account", ACCOUNT_ID,
                    "--access-key-id", ROOT_KEY_ID, "--secret-access-key", ROOT_SECRET)
        processes = []
        try:
            for index in range(INSTANCES):
                port = free_port()
                log = open(Path(data_dir) / f"server-{index}.log", "w")
                process = subprocess.Popen(
                    [ferriam_bin(), "--data-dir", data_dir, "--database-url", database_url,
                     "serve", "--addr", f"127.0.0.1:{port}"],
                    stdout=log,
                    stderr=subprocess.STDOUT,
                    env={**os.environ, "FERRIAM_LOG": "warn"},
                )
                processes.append((process, log))
                endpoint = f"http://127.0.0.1:{port}"
                wait_until_up(endpoint, process)
                cluster.instances.append(Server(endpoint, data_dir))
            yield cluster
        finally:
            for process, log in processes:
                process.terminate()
                process.wait(timeout=10)
                log.close()
