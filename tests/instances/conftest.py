"""Two `ferriam serve` processes on one PostgreSQL database, as behind a load balancer: a fresh
database on the server FERRIAM_TEST_POSTGRES names (`make test` starts a throwaway cluster), one
account and root key set up headlessly, one master key file shared by both instances. A test that
kills instances starts its own (`own_instances`); one that shuts the database down and serves it
again (`postgres`) needs FERRIAM_TEST_POSTGRES_DIR, the directory `scripts/postgres-cluster.sh
start` was given for that server."""

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
ROOT_EMAIL = "instances@example.com"
CLUSTER_SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "postgres-cluster.sh"


def fresh_database(server_url: str) -> str:
    name = f"i_{uuid.uuid4().hex}"
    subprocess.run(
        ["psql", server_url, "-q", "-v", "ON_ERROR_STOP=1", "-c", f"CREATE DATABASE {name}"],
        check=True,
    )
    return server_url.rsplit("/", 1)[0] + "/" + name


class Instance:
    """One `ferriam serve` process and its server."""

    def __init__(self, process: subprocess.Popen, log, server: Server):
        self.process = process
        self.log = log
        self.server = server

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.log.close()


class Cluster:
    def __init__(self, database_url: str, data_dir: str, instances: list):
        self.database_url = database_url
        self.data_dir = data_dir
        self.instances = instances
        self.root_email = ROOT_EMAIL

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

    def start_instance(self, name: str) -> Instance:
        """Starts one more `ferriam serve` on the cluster's database and waits until it answers."""
        port = free_port()
        log = open(Path(self.data_dir) / f"server-{name}.log", "w")
        process = subprocess.Popen(
            [ferriam_bin(), "--data-dir", self.data_dir, "--database-url", self.database_url,
             "serve", "--addr", f"127.0.0.1:{port}"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "FERRIAM_LOG": "warn"},
        )
        instance = Instance(process, log, Server(f"http://127.0.0.1:{port}", self.data_dir))
        try:
            wait_until_up(instance.server.endpoint, process)
        except Exception:
            instance.stop()
            raise
        return instance


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
        cluster.cli("account", "create", "--email", ROOT_EMAIL,
                    "--password-file", str(password_file), "--account-id", ACCOUNT_ID)
        cluster.cli("access-key", "create", "--account", ACCOUNT_ID,
                    "--access-key-id", ROOT_KEY_ID, "--secret-access-key", ROOT_SECRET)
        started = []
        try:
            for index in range(INSTANCES):
                started.append(cluster.start_instance(str(index)))
                cluster.instances.append(started[-1].server)
            yield cluster
        finally:
            for instance in started:
                instance.stop()


@pytest.fixture
def own_instances(cluster):
    """Two more instances on the cluster's database, for a test that may kill them."""
    started = []
    try:
        for index in range(INSTANCES):
            started.append(cluster.start_instance(f"own-{uuid.uuid4().hex[:8]}-{index}"))
        yield started
    finally:
        for instance in started:
            instance.stop()


class Postgres:
    """The PostgreSQL server under the tests, which `scripts/postgres-cluster.sh` can shut down
    (`pause`) and serve again (`resume`) on the same port."""

    def __init__(self, cluster_dir: str):
        self.cluster_dir = cluster_dir
        self.paused = False

    def _script(self, command: str) -> None:
        subprocess.run([str(CLUSTER_SCRIPT), command, self.cluster_dir], check=True)

    def pause(self) -> None:
        self.paused = True
        self._script("pause")

    def resume(self) -> None:
        self._script("resume")
        self.paused = False


@pytest.fixture
def postgres(cluster):
    """The PostgreSQL cluster FERRIAM_TEST_POSTGRES_DIR names (the DIR `scripts/postgres-cluster.sh
    start` was given); served again after the test whatever happened."""
    cluster_dir = os.environ.get("FERRIAM_TEST_POSTGRES_DIR")
    if not cluster_dir:
        pytest.skip("FERRIAM_TEST_POSTGRES_DIR names no cluster directory to pause")
    postgres = Postgres(cluster_dir)
    try:
        yield postgres
    finally:
        if postgres.paused:
            postgres.resume()
