"""Failures under load: an instance killed in the middle of writes, and the database shut down and
served again while writers run. Whatever a client was told was written is there afterwards,
nothing that was not written is reported written, and the audit chain stays one valid chain."""

import json
import re
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import BotoCoreError, ClientError

from helpers import code_of

# What a client sees from an instance that is gone: the connection is refused or cut.
CONNECTION_ERRORS = {"EndpointConnectionError", "ConnectionClosedError", "ReadTimeoutError"}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def outcome_of(call) -> str:
    """"created", "<Code> (<HTTP status>)" for an error answer, or the name of the connection
    error when there was no answer."""
    try:
        call()
        return "created"
    except ClientError as error:
        return f"{code_of(error)} ({error.response['ResponseMetadata']['HTTPStatusCode']})"
    except BotoCoreError as error:
        return type(error).__name__


def unavailable(outcome: str) -> bool:
    """A failure that says "try again later": a server error, or no answer at all."""
    return outcome in CONNECTION_ERRORS or re.search(r"\(5\d\d\)$", outcome) is not None


def user_names(client, prefix: str) -> set:
    pages = client.get_paginator("list_users").paginate(PaginationConfig={"PageSize": 1000})
    return {u["UserName"] for page in pages for u in page["Users"]
            if u["UserName"].startswith(prefix)}


def wait_for(condition, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"not within {seconds} s: {what}"
        time.sleep(0.05)


def readiness(server) -> int:
    """The status of `GET /readyz` (which may take the pool's acquire timeout to answer)."""
    try:
        with urllib.request.urlopen(f"{server.endpoint}/readyz", timeout=20) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def assert_audit_chain_valid(cluster, at_least: int) -> None:
    report = cluster.cli("audit", "verify")
    assert report["Valid"] is True, json.dumps(report)
    assert report["Records"] >= at_least, json.dumps(report)


def test_killing_an_instance_mid_write_loses_no_acknowledged_write(cluster, own_instances):
    """kill -9 of one of two instances while 50 CreateUser calls run on both: every user whose
    creation was acknowledged exists, the survivor answers every call it got, and the audit
    chain is still valid."""
    survivor, victim = own_instances
    clients = [survivor.server.client("iam"), victim.server.client("iam")]
    prefix = unique("killed")
    finished = []
    tenth_finished = threading.Event()

    def write(index: int) -> tuple:
        name = f"{prefix}-{index}"
        outcome = outcome_of(lambda: clients[index % 2].create_user(UserName=name))
        finished.append(name)
        if len(finished) >= 10:
            tenth_finished.set()
        return name, index % 2, outcome

    with ThreadPoolExecutor(max_workers=16) as pool:
        results = pool.map(write, range(50))
        assert tenth_finished.wait(60)
        victim.process.kill()
        results = list(results)
    assert victim.process.wait(timeout=10) == -9

    on_survivor = [outcome for _, index, outcome in results if index == 0]
    on_victim = [outcome for _, index, outcome in results if index == 1]
    assert on_survivor == ["created"] * 25, on_survivor
    assert set(on_victim) <= {"created"} | CONNECTION_ERRORS, on_victim
    assert set(on_victim) & CONNECTION_ERRORS, f"the kill came after every write: {on_victim}"

    acknowledged = {name for name, _, outcome in results if outcome == "created"}
    assert acknowledged <= user_names(clients[0], prefix)
    after = unique("after-kill")
    clients[0].create_user(UserName=after)
    assert clients[0].get_user(UserName=after)["User"]["UserName"] == after
    assert_audit_chain_valid(cluster, len(acknowledged) + 1)


def test_a_database_outage_fails_writes_and_the_instances_recover_by_themselves(cluster,
                                                                                 postgres):
    """PostgreSQL shut down (fast) while writers run on both instances: `/readyz` says 503 on
    each, a write made while it is down fails as unavailable (and is not written later); served
    again, `/readyz` says 200 within seconds with no restart, writes succeed, and every
    acknowledged write is there."""
    clients = [server.client("iam") for server in cluster.instances]
    prefix = unique("outage")
    log = []  # (name, started, finished, outcome)
    stop = threading.Event()

    def writer(number: int) -> None:
        for index in range(10_000):
            if stop.is_set():
                return
            name = f"{prefix}-{number}-{index}"
            started = time.monotonic()
            outcome = outcome_of(lambda: clients[(number + index) % 2].create_user(UserName=name))
            log.append((name, started, time.monotonic(), outcome))

    writers = [threading.Thread(target=writer, args=(number,)) for number in range(4)]
    for thread in writers:
        thread.start()
    try:
        wait_for(lambda: [e[3] for e in log].count("created") >= 8, 20, "writes before outage")
        postgres.pause()
        paused = time.monotonic()
        with ThreadPoolExecutor() as pool:
            assert list(pool.map(readiness, cluster.instances)) == [503, 503]
        wait_for(lambda: len([e for e in log if e[1] > paused]) >= 4, 30,
                 "writes made while the database was down")
        resumed = time.monotonic()
        postgres.resume()

        while_down = {e[0]: e[3] for e in log if paused < e[1] and e[2] < resumed}
        assert while_down and all(map(unavailable, while_down.values())), while_down
        for server in cluster.instances:
            wait_for(lambda: readiness(server) == 200, 10, f"{server.endpoint} ready again")
        for client in clients:
            client.create_user(UserName=unique("after-outage"))
    finally:
        stop.set()
        for thread in writers:
            thread.join(timeout=30)

    acknowledged = {name for name, _, _, outcome in log if outcome == "created"}
    written = user_names(clients[1], prefix)
    assert not acknowledged - written, f"acknowledged, not written: {acknowledged - written}"
    assert not written & while_down.keys(), f"refused, yet written: {written & while_down.keys()}"
    assert_audit_chain_valid(cluster, len(acknowledged))
