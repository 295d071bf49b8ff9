// Sign-in load on loopback: throughput of correct root sign-ins, and the server's peak memory
// under 100 concurrent wrong-password attempts.
//
//   node benches/load/signin.mjs <base-url> <email> <password> <server-pid>
//
// Reports sign-ins per second (median of 3 rounds) and the server's peak RSS (VmHWM) before and
// after the burst of wrong passwords.
//
// The guessing defences shape both measures (src/server/service/throttle.rs): an attempt on one
// principal counts as a failure until its password is checked, so more than 5 at once for the
// same principal are refused unchecked — the correct sign-ins run 4 at a time. The wrong
// passwords go to 100 different email addresses (none registered): each is a principal's first
// failure, and the address is charged only once an attempt has failed, so all 100 reach argon2
// at once — the flood whose memory the bounded hashing queue must hold. Run it on a fresh data
// directory: afterwards the address is locked out for a while.
import { readFileSync } from "node:fs";

const [base, email, password, pid] = process.argv.slice(2);
if (!pid) {
  console.error("usage: node benches/load/signin.mjs <base-url> <email> <password> <server-pid>");
  process.exit(2);
}

async function signIn(pw, who = email) {
  const response = await fetch(`${base}/api/auth/sign_in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ email: who, password: pw }),
    redirect: "manual",
  });
  await response.arrayBuffer();
  return response.status;
}

function peakRssMiB() {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]);
  return (kib / 1024).toFixed(1);
}

async function round(total, concurrency, pw, who = () => email) {
  let next = 0;
  const statuses = {};
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const status = await signIn(pw, who(next));
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return { perSecond: total / seconds, statuses };
}

await signIn(password); // warm up
const rates = [];
for (let i = 0; i < 3; i++) {
  const { perSecond, statuses } = await round(60, 4, password);
  rates.push(perSecond);
  console.log(`round ${i + 1}: ${perSecond.toFixed(1)} sign-ins/s`, statuses);
}
rates.sort((a, b) => a - b);
console.log(`median: ${rates[1].toFixed(1)} correct sign-ins/s (concurrency 4)`);

const before = peakRssMiB();
const { perSecond, statuses } = await round(100, 100, "wrong password", (n) => `guess-${n}@example.com`);
console.log(`100 concurrent wrong passwords: ${perSecond.toFixed(1)}/s`, statuses);
console.log(`server peak RSS: ${before} MiB before the burst, ${peakRssMiB()} MiB after`);
