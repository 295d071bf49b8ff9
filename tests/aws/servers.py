"""Starting `ferriam` processes and talking to them: the binary, the CLI, a free port, and a
server's boto3 clients. Shared by the AWS client tests and the multi-instance tests."""

import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import boto3
from botocore.config import Config

from helpers import REGION, ROOT_KEY_ID, ROOT_SECRET

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
