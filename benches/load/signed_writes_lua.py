"""Prints a wrk Lua script that sends COUNT different SigV4-signed CreateUser requests (users
PREFIX-0, PREFIX-1, …), each once: a write cannot be replayed like a read, so every request is
signed ahead. wrk's threads take turns through the list; the script stops wrk when it runs out.

    signed_writes_lua.py ENDPOINT ACCESS_KEY_ID SECRET COUNT PREFIX THREADS"""

import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from presign_lua import lua_string


def main() -> None:
    endpoint, key_id, secret, count, prefix, threads = sys.argv[1:7]
    signer = SigV4Auth(Credentials(key_id, secret), "iam", "us-east-1")
    print("local requests = {")
    for index in range(int(count)):
        body = f"Action=CreateUser&Version=2010-05-08&UserName={prefix}-{index}"
        request = AWSRequest(
            method="POST",
            url=endpoint.rstrip("/") + "/",
            data=body,
            headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
        )
        signer.add_auth(request)
        headers = ", ".join(
            f"[{lua_string(name)}] = {lua_string(value)}"
            for name, value in request.headers.items()
            if name.lower() != "host"
        )
        print(f"  {{ body = {lua_string(body)}, headers = {{ {headers} }} }},")
    print("}")
    print(f"local stride = {threads}")
    print(
        """
local next_first = 0
function setup(thread)
  thread:set("first", next_first)
  next_first = next_first + 1
end
local sent = 0
function request()
  -- Thread k sends k, k + n, k + 2n, … (n threads), so no request goes out twice.
  local r = requests[first + sent * stride + 1]
  sent = sent + 1
  if r == nil then
    wrk.thread:stop()
    r = requests[1]
  end
  return wrk.format("POST", "/", r.headers, r.body)
end
"""
    )


if __name__ == "__main__":
    main()
