// Sign-in load on loopback: throughput of correct root sign-ins, and the server's peak memory
// under 100 concurrent wrong-password attempts.
//
//   node benches/load/signin.mjs <base-url> <email> <password> <server-pid>
//
// Reports sign-ins per second (median of 3 rounds) and the server's peak RSS (VmHWM) before and
// after the burst of wrong passwords.
import { readFileSync } from "node:fs";

const [base, email, password, pid] = process.argv.slice(2);
if (!pid) {
  console.error("usage: node benches/load/signin.mjs <base-url> <email> <password> <server-pid>");
  process.exit(2);
}

async function signIn(pw) {
  const response = await fetch(`${base}/api/auth/sign_in`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", accept: "application/json" },
    body: new URLSearchParams({ email, password: pw }),
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

async function round(total, concurrency, pw) {
  let next = 0;
  const statuses = {};
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        next += 1;
        const status = await signIn(pw);
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
  const { perSecond, statuses } = await round(60, 8, password);
  rates.push(perSecond);
  console.log(`round ${i + 1}: ${perSecond.toFixed(1)} sign-ins/s`, statuses);
}
rates.sort((a, b) => a - b);
console.log(`median: ${rates[1].toFixed(1)} correct sign-ins/s (concurrency 8)`);

const before = peakRssMiB();
const { perSecond, statuses } = await round(100, 100, "wrong password");
console.log(`100 concurrent wrong passwords: ${perSecond.toFixed(1)}/s`, statuses);
console.log(`server peak RSS: ${before} MiB before the burst, ${peakRssMiB()} MiB after`);
