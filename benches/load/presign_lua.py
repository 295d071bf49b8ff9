"""Prints a wrk Lua script that replays one SigV4-signed Query API request.

    presign_lua.py ENDPOINT ACCESS_KEY_ID SECRET BODY

A SigV4 signature stays valid for 15 minutes, so one signed request can be replayed for a
whole measurement: the server verifies the signature on every request all the same."""

import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials


def main() -> None:
    endpoint, key_id, secret, body = sys.argv[1:5]
    request = AWSRequest(
        method="POST",
        url=endpoint.rstrip("/") + "/",
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
    )
    SigV4Auth(Credentials(key_id, secret), "iam", "us-east-1").add_auth(request)
    print('wrk.method = "POST"')
    print(f"wrk.body = {lua_string(body)}")
    for name, value in request.headers.items():
        if name.lower() == "host":
            continue
        print(f"wrk.headers[{lua_string(name)}] = {lua_string(value)}")


def lua_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


if __name__ == "__main__":
    main()
