"""Several instances on one PostgreSQL database: a change committed on one is in effect on the
other for the next request, and the rules that count or refuse a second time hold across them.
Each check first warms instance B with the same request (so its caches hold the old state),
then changes on A, then asserts on B."""

import json
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

from botocore.exceptions import ClientError

from console import SESSION_COOKIE, WRONG_PASSWORD, Browser
from helpers import ACCOUNT_ID, ROOT_PASSWORD, allow, aws_error, code_of

READ_USERS = allow(["iam:GetUser", "iam:ListUsers"])
USER_PASSWORD = "Correct-Horse-42"


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:12]}"


def user_with_key(root, policy: str | None = None):
    user = unique("user")
    root.create_user(UserName=user)
    if policy is not None:
        root.put_user_policy(UserName=user, PolicyName="inline", PolicyDocument=policy)
    key = root.create_access_key(UserName=user)["AccessKey"]
    return user, key["AccessKeyId"], key["SecretAccessKey"]


def test_a_key_deactivated_on_one_instance_is_refused_on_the_other(cluster):
    a, b = cluster.instances
    root_a = a.client("iam")
    user, key_id, secret = user_with_key(root_a, READ_USERS)
    on_b = b.client("iam", key_id, secret)
    assert on_b.get_user(UserName=user)["User"]["UserName"] == user  # warms B's key cache

    root_a.update_access_key(UserName=user, AccessKeyId=key_id, Status="Inactive")
    assert code_of(aws_error(on_b.get_user, UserName=user)) == "InvalidClientTokenId"

    root_a.update_access_key(UserName=user, AccessKeyId=key_id, Status="Active")
    assert on_b.get_user(UserName=user)["User"]["UserName"] == user
    root_a.delete_access_key(UserName=user, AccessKeyId=key_id)
    assert code_of(aws_error(on_b.get_user, UserName=user)) == "InvalidClientTokenId"


def test_a_policy_detached_on_one_instance_stops_granting_on_the_other(cluster):
    a, b = cluster.instances
    root_a = a.client("iam")
    user, key_id, secret = user_with_key(root_a)
    policy_arn = root_a.create_policy(PolicyName=unique("read"), PolicyDocument=READ_USERS)[
        "Policy"]["Arn"]
    root_a.attach_user_policy(UserName=user, PolicyArn=policy_arn)
    on_b = b.client("iam", key_id, secret)
    on_b.list_users()  # warms B's policy set for the user

    root_a.detach_user_policy(UserName=user, PolicyArn=policy_arn)
    assert code_of(aws_error(on_b.list_users)) == "AccessDenied"

    root_a.attach_user_policy(UserName=user, PolicyArn=policy_arn)
    on_b.list_users()


def test_a_user_deleted_on_one_instance_no_longer_signs_on_the_other(cluster):
    a, b = cluster.instances
    root_a = a.client("iam")
    user, key_id, secret = user_with_key(root_a, READ_USERS)
    on_b = b.client("iam", key_id, secret)
    on_b.get_user(UserName=user)
    root_b = b.client("iam")
    assert root_b.get_user(UserName=user)["User"]["UserName"] == user  # warms B's user view

    root_a.delete_access_key(UserName=user, AccessKeyId=key_id)
    root_a.delete_user_policy(UserName=user, PolicyName="inline")
    root_a.delete_user(UserName=user)
    assert code_of(aws_error(on_b.get_user, UserName=user)) == "InvalidClientTokenId"
    assert code_of(aws_error(root_b.get_user, UserName=user)) == "NoSuchEntity"


def concurrently(attempts: int, clients: list, call) -> list:
    """Runs `call(client)` `attempts` times at once, spread over the clients in turn; returns
    "created" or the error code of each."""

    def attempt(index: int) -> str:
        try:
            call(clients[index % len(clients)])
            return "created"
        except ClientError as error:
            return code_of(error)

    with ThreadPoolExecutor(max_workers=16) as pool:
        return list(pool.map(attempt, range(attempts)))


def test_one_name_created_concurrently_on_both_instances_is_created_once(cluster):
    clients = [server.client("iam") for server in cluster.instances]
    name = unique("contested")
    outcomes = concurrently(50, clients, lambda client: client.create_user(UserName=name))
    assert outcomes.count("created") == 1, outcomes
    assert set(outcomes) == {"created", "EntityAlreadyExists"}, outcomes


def test_the_access_key_limit_holds_across_instances(cluster):
    clients = [server.client("iam") for server in cluster.instances]
    user = unique("limited")
    clients[0].create_user(UserName=user)
    clients[0].create_access_key(UserName=user)
    outcomes = concurrently(8, clients, lambda client: client.create_access_key(UserName=user))
    assert outcomes.count("created") == 1, outcomes
    assert set(outcomes) == {"created", "LimitExceeded"}, outcomes
    keys = clients[1].list_access_keys(UserName=user)["AccessKeyMetadata"]
    assert len(keys) == 2


def test_the_audit_chain_stays_one_valid_chain_under_writers_on_both_instances(cluster):
    clients = [server.client("iam") for server in cluster.instances]
    prefix = unique("chain")
    names = iter(range(40))
    outcomes = concurrently(
        40, clients, lambda client: client.create_group(GroupName=f"{prefix}-{next(names)}"))
    assert outcomes == ["created"] * 40, outcomes
    groups = clients[0].list_groups(MaxItems=1000)["Groups"]
    assert len([g for g in groups if g["GroupName"].startswith(prefix)]) == 40
    report = cluster.cli("audit", "verify")
    assert report["Valid"] is True, json.dumps(report)
    assert report["Records"] >= 40


# ---- Console sessions and sign-in throttling -------------------------------------------------


def signed_in_root(cluster, browser: Browser, server) -> str:
    """Signs the root user in to the console on `server`; returns the session cookie."""
    answer = browser.call(server, "auth/sign_in", email=cluster.root_email,
                          password=ROOT_PASSWORD)
    assert answer.ok, (answer.status, answer.body)
    cookie = answer.cookie(SESSION_COOKIE)
    assert cookie, answer.headers
    return cookie


def test_a_console_session_holds_on_every_instance_and_sign_out_ends_it_on_all(cluster):
    """The root user's console session begun on A is a session on B (a server function and a
    console page that need one answer there), and signing out on A ends it on B at once."""
    a, b = cluster.instances
    browser = Browser()
    cookie = signed_in_root(cluster, browser, a)

    principal = browser.call(b, "auth/current_principal", cookie)
    assert principal.status == 200 and ACCOUNT_ID in principal.body, principal.body
    overview = browser.call(b, "dashboard/get_account_overview", cookie)
    assert overview.status == 200, (overview.status, overview.body)
    assert browser.get(b, "/", cookie).status == 200

    signed_out = browser.call(a, "auth/sign_out", cookie)
    assert signed_out.ok, (signed_out.status, signed_out.body)
    refused = browser.call(b, "dashboard/get_account_overview", cookie)
    assert refused.status == 401, (refused.status, refused.body)
    assert browser.call(b, "auth/current_principal", cookie).body.strip() == "null"
    page = browser.get(b, "/", cookie)
    assert (page.status, page.headers.get("Location")) == (303, "/signin")


def test_failed_sign_ins_on_both_instances_lock_the_user_on_both(cluster):
    """The per-user password counter is one count in the database: five wrong passwords, alternately
    on A and B (each from its own address, so no address counter is involved), lock the user, and
    then the right password is refused on both instances, in the words of a wrong one."""
    a, b = cluster.instances
    root = a.client("iam")
    user = unique("guessed")
    root.create_user(UserName=user)
    root.create_login_profile(UserName=user, Password=USER_PASSWORD, PasswordResetRequired=False)

    def sign_in(server, password: str):
        return Browser().call(server, "auth/sign_in_user", account=ACCOUNT_ID, user_name=user,
                              password=password)

    for attempt in range(5):
        fifth_sent = time.monotonic()
        wrong = sign_in([a, b][attempt % 2], "Wrong-Horse-99")
        assert (wrong.status, WRONG_PASSWORD in wrong.body) == (401, True), wrong.body
    for server in (a, b):
        locked = sign_in(server, USER_PASSWORD)
        since = time.monotonic() - fifth_sent  # the lock lasts 1 s from the fifth failure
        assert (locked.status, WRONG_PASSWORD in locked.body) == (401, True), (since, locked.body)

    # The lock ends by itself (1 s after the fifth failure): the password was right all along.
    deadline = time.monotonic() + 10
    while not (answer := sign_in(b, USER_PASSWORD)).ok and time.monotonic() < deadline:
        time.sleep(0.2)
    assert answer.ok, (answer.status, answer.body)
    assert answer.cookie(SESSION_COOKIE)
