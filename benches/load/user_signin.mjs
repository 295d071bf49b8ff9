// IAM-user sign-in load on loopback, end to end: user name and password (argon2id), then the
// TOTP code (the MFA step), as the browser's server-function calls make them.
//
//   node benches/load/user_signin.mjs <base-url> <root-email> <root-password> <server-pid>
//
// Set-up, through the console's own server functions as the root user: N users, each with a
// console password and an enabled virtual MFA device. A code is accepted once per device and
// only for the current 30-second step ± 1, so every round signs in users no earlier round used.
// Reports sign-ins per second for 3 rounds (and their median) and the server's peak RSS.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

const [base, rootEmail, rootPassword, pid] = process.argv.slice(2);
if (!pid) {
  console.error("usage: node benches/load/user_signin.mjs <base-url> <root-email> <root-password> <server-pid>");
  process.exit(2);
}
const ROUNDS = 3;
const PER_ROUND = 120;
const CONCURRENCY = 8;
const PASSWORD = "Load-Test-Password-1!";

function base32Decode(input) {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  let bits = 0;
  let value = 0;
  const out = [];
  for (const char of input.replace(/=+$/, "")) {
    value = (value << 5) | alphabet.indexOf(char);
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

function totpAtStep(secret, step) {
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac("sha1", base32Decode(secret)).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, "0");
}

const currentStep = () => Math.floor(Date.now() / 30_000);

/** Calls a server function; returns the status, the session cookie it set (if any) and the body. */
async function call(path, { cookie, form, json }) {
  const headers = { accept: "application/json" };
  if (cookie) headers.cookie = cookie;
  let body;
  if (json) {
    headers["content-type"] = "application/json";
    body = JSON.stringify(json);
  } else {
    headers["content-type"] = "application/x-www-form-urlencoded";
    body = new URLSearchParams(form ?? {});
  }
  const response = await fetch(`${base}/api/${path}`, { method: "POST", headers, body, redirect: "manual" });
  const setCookie = response.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const text = await response.text();
  return { status: response.status, cookie: setCookie || cookie, text };
}

function expectOk(result, what) {
  if (result.status >= 400) throw new Error(`${what}: HTTP ${result.status} ${result.text}`);
  return result;
}

function peakRssMiB() {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return (Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024).toFixed(1);
}

// ---- Set-up -------------------------------------------------------------------------------------
const root = expectOk(await call("auth/sign_in", { form: { email: rootEmail, password: rootPassword } }), "root sign-in");
const accountId = JSON.parse(
  expectOk(await call("dashboard/get_account_overview", { cookie: root.cookie }), "overview").text,
).account_id;
const total = ROUNDS * PER_ROUND + CONCURRENCY;
const users = [];
const setupStart = performance.now();
await Promise.all(
  Array.from({ length: 4 }, async (_, worker) => {
    for (let i = worker; i < total; i += 4) {
      const name = `load-${i}`;
      const user = { user_name: name, path: "", tags: [], groups: [], policy_arns: [], permissions_boundary: null };
      expectOk(await call("users/create_user", { cookie: root.cookie, json: { user } }), `create ${name}`);
      expectOk(
        await call("credentials/set_console_password", {
          cookie: root.cookie,
          form: { user_name: name, password: PASSWORD, reset_required: "false", create: "true" },
        }),
        `password ${name}`,
      );
      const setup = JSON.parse(
        expectOk(await call("credentials/begin_user_mfa", { cookie: root.cookie, form: { user_name: name } }), `mfa ${name}`).text,
      );
      const step = currentStep();
      expectOk(
        await call("credentials/enable_user_mfa", {
          cookie: root.cookie,
          form: {
            user_name: name,
            serial_number: setup.serial_number,
            code1: totpAtStep(setup.base32_seed, step - 1),
            code2: totpAtStep(setup.base32_seed, step),
          },
        }),
        `enable ${name}`,
      );
      users.push({ name, secret: setup.base32_seed, lastStep: step });
    }
  }),
);
console.log(`set-up: ${users.length} users with password and MFA in ${((performance.now() - setupStart) / 1000).toFixed(1)} s`);

// ---- Load ---------------------------------------------------------------------------------------
/** One full sign-in; true when the second step lands in the console. */
async function signIn(user) {
  const first = await call("auth/sign_in_user", {
    form: { account: accountId, user_name: user.name, password: PASSWORD },
  });
  if (first.status >= 400) return `password ${first.status}`;
  const step = Math.max(user.lastStep + 1, currentStep() - 1);
  if (step > currentStep() + 1) return "no fresh code";
  user.lastStep = step;
  const second = await call("auth/verify_mfa_code", { cookie: first.cookie, form: { code: totpAtStep(user.secret, step) } });
  return second.status < 400 ? "ok" : `mfa ${second.status} ${second.text}`;
}

async function round(pool) {
  const outcomes = {};
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < pool.length) {
        const user = pool[next++];
        const outcome = await signIn(user);
        outcomes[outcome] = (outcomes[outcome] ?? 0) + 1;
      }
    }),
  );
  return { perSecond: pool.length / ((performance.now() - start) / 1000), outcomes };
}

await round(users.slice(0, CONCURRENCY)); // warm up
const rates = [];
for (let r = 0; r < ROUNDS; r++) {
  const pool = users.slice(CONCURRENCY + r * PER_ROUND, CONCURRENCY + (r + 1) * PER_ROUND);
  const { perSecond, outcomes } = await round(pool);
  if (outcomes.ok !== pool.length) throw new Error(`round ${r + 1}: not every sign-in succeeded: ${JSON.stringify(outcomes)}`);
  rates.push(perSecond);
  console.log(`round ${r + 1}: ${perSecond.toFixed(1)} IAM-user sign-ins/s (password + TOTP)`, outcomes);
}
rates.sort((a, b) => a - b);
console.log(`median: ${rates[1].toFixed(1)} sign-ins/s (concurrency ${CONCURRENCY}); server peak RSS ${peakRssMiB()} MiB`);
