// Writes COUNT AssumeRoleWithWebIdentity request bodies to DATA, one per line, each with its
// own ID token (subjects PREFIX-0, PREFIX-1, …) signed RS256 by the test issuer's key
// (tests/data/oidc/rsa.pem, kid rsa-1) — a request that issues credentials is never replayed —
// and prints a wrk Lua script sending each once, wrk's THREADS taking turns through the list.
//
//   node benches/load/web_identity_requests.mjs ISSUER ROLE_ARN COUNT PREFIX THREADS DATA
import { createPrivateKey } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(new URL("../../end2end/package.json", import.meta.url));
const { SignJWT } = require("jose");

const [issuer, roleArn, count, prefix, threads, data] = process.argv.slice(2);
const key = createPrivateKey(readFileSync(new URL("../../tests/data/oidc/rsa.pem", import.meta.url)));
const now = Math.floor(Date.now() / 1000);
const lines = [];
for (let index = 0; index < Number(count); index++) {
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "RS256", kid: "rsa-1" })
    .setIssuer(issuer)
    .setSubject(`${prefix}-${index}`)
    .setAudience("bench")
    .setIssuedAt(now)
    .setExpirationTime(now + 3600)
    .sign(key);
  const body = new URLSearchParams({
    Action: "AssumeRoleWithWebIdentity",
    Version: "2011-06-15",
    RoleArn: roleArn,
    RoleSessionName: `bench-${index}`,
    WebIdentityToken: token,
  });
  lines.push(body.toString());
}
writeFileSync(data, lines.join("\n") + "\n");
console.log(`local stride = ${Number(threads)}
local data = ${JSON.stringify(data)}
local next_first = 0
function setup(thread)
  thread:set("first", next_first)
  next_first = next_first + 1
end
local bodies = {}
function init(args)
  for line in io.lines(data) do bodies[#bodies + 1] = line end
end
local sent = 0
local headers = { ["Content-Type"] = "application/x-www-form-urlencoded; charset=utf-8" }
function request()
  local body = bodies[first + sent * stride + 1]
  sent = sent + 1
  if body == nil then
    wrk.thread:stop()
    body = bodies[1]
  end
  return wrk.format("POST", "/", headers, body)
end`);
