"""Writes COUNT different SigV4-signed CreateUser requests (users PREFIX-0, PREFIX-1, …) to
DATA, one per line, and prints a wrk Lua script that sends each once: a write cannot be replayed
like a read, so every request is signed ahead. wrk's threads (THREADS of them) take turns
through the list; a thread that runs out stops. (The requests live in a file the script reads at
start: Lua refuses a script with more than 65,536 constants.)

    signed_writes_lua.py ENDPOINT ACCESS_KEY_ID SECRET COUNT PREFIX THREADS DATA"""

import sys

from botocore.auth import SigV4Auth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials

from presign_lua import lua_string

# The headers each line carries, in this order, after the body.
HEADERS = ("Content-Type", "X-Amz-Date", "Authorization")


def main() -> None:
    endpoint, key_id, secret, count, prefix, threads, data = sys.argv[1:8]
    signer = SigV4Auth(Credentials(key_id, secret), "iam", "us-east-1")
    with open(data, "w") as out:
        for index in range(int(count)):
            body = f"Action=CreateUser&Version=2010-05-08&UserName={prefix}-{index}"
            request = AWSRequest(
                method="POST",
                url=endpoint.rstrip("/") + "/",
                data=body,
                headers={"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"},
            )
            signer.add_auth(request)
            out.write("\t".join([body, *(request.headers[name] for name in HEADERS)]) + "\n")
    names = ", ".join(lua_string(name) for name in HEADERS)
    print(f"local stride = {threads}")
    print(f"local data = {lua_string(data)}")
    print(f"local names = {{ {names} }}")
    print(
        """
local next_first = 0
function setup(thread)
  thread:set("first", next_first)
  next_first = next_first + 1
end
local requests = {}
function init(args)
  for line in io.lines(data) do
    local fields = {}
    for field in string.gmatch(line, "[^\t]+") do fields[#fields + 1] = field end
    local headers = {}
    for i, name in ipairs(names) do headers[name] = fields[i + 1] end
    requests[#requests + 1] = { body = fields[1], headers = headers }
  end
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
