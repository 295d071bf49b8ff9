"""How long a change committed on instance A takes to be in effect on instance B: a deny put on
A's user, then B polled with that user's key until it refuses; the deny removed, B polled until
it allows again. Prints the p50 and p99 of the time from A's answer to B's first answer that
shows the change, and how many B requests that took (1 means "the next request").

    change_to_effect.py ENDPOINT_A ENDPOINT_B ROOT_KEY_ID ROOT_SECRET [ROUNDS]"""

import statistics
import sys
import time
import uuid

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

ALLOW = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"iam:GetUser","Resource":"*"}]}'
DENY = '{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"iam:GetUser","Resource":"*"}]}'


def client(endpoint, key, secret):
    return boto3.client("iam", endpoint_url=endpoint, region_name="us-east-1",
                        aws_access_key_id=key, aws_secret_access_key=secret,
                        config=Config(retries={"max_attempts": 1}))


def allowed(iam, user) -> bool:
    try:
        iam.get_user(UserName=user)
        return True
    except ClientError as error:
        if error.response["Error"]["Code"] != "AccessDenied":
            raise
        return False


def until(iam, user, want: bool):
    """Seconds from now to B's first answer showing `want`, and how many requests it took."""
    start = time.perf_counter()
    tries = 0
    while True:
        tries += 1
        if allowed(iam, user) == want:
            return time.perf_counter() - start, tries
        if tries > 1000:
            raise RuntimeError("the change never took effect")


def main() -> None:
    a_url, b_url, key, secret = sys.argv[1:5]
    rounds = int(sys.argv[5]) if len(sys.argv) > 5 else 100
    root_a = client(a_url, key, secret)
    user = f"effect-{uuid.uuid4().hex[:8]}"
    root_a.create_user(UserName=user)
    root_a.put_user_policy(UserName=user, PolicyName="allow", PolicyDocument=ALLOW)
    created = root_a.create_access_key(UserName=user)["AccessKey"]
    on_b = client(b_url, created["AccessKeyId"], created["SecretAccessKey"])
    latencies, most_tries = [], 0
    for _ in range(rounds):
        assert allowed(on_b, user)  # B's caches hold the allowing state
        root_a.put_user_policy(UserName=user, PolicyName="deny", PolicyDocument=DENY)
        seconds, tries = until(on_b, user, False)
        latencies.append(seconds)
        most_tries = max(most_tries, tries)
        root_a.delete_user_policy(UserName=user, PolicyName="deny")
        seconds, tries = until(on_b, user, True)
        latencies.append(seconds)
        most_tries = max(most_tries, tries)
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    print(f"change on A to effect on B, {len(latencies)} changes: "
          f"p50 {statistics.median(latencies) * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms, "
          f"at most {most_tries} request(s) on B")


if __name__ == "__main__":
    main()
