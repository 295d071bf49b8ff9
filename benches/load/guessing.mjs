// A password-guessing attack on loopback against a running server, and the real user's way in.
//
//   node benches/load/guessing.mjs <base-url> <root-email> <root-password>
//
// 1. The real user signs in once from a browser, which keeps the device cookie it is given.
// 2. An attacker sends 1,000 wrong passwords for that user, one after another as fast as the
//    answers come, without cookies (all from 127.0.0.1, so both the address's and the
//    principal's throttles apply; guessing concurrently gains nothing, the counts are
//    serialized).
// 3. The right password from a new browser is refused while the locks last; the right password
//    from the real user's browser signs in at once.
// Reports how many guesses were slow (they reached argon2; the server's log counts them
// exactly: `root sign-in outcome="failure"`) and the answer times, then the two final attempts. Exits non-zero if the real user is kept out.

const [base, email, password] = process.argv.slice(2);
if (!password) {
  console.error("usage: node benches/load/guessing.mjs <base-url> <root-email> <root-password>");
  process.exit(2);
}
const GUESSES = 1000;

/** One root sign-in; returns the status, the time it took and the cookies it set. */
async function signIn(pw, cookie) {
  const headers = { "content-type": "application/x-www-form-urlencoded", accept: "application/json" };
  if (cookie) headers.cookie = cookie;
  const started = performance.now();
  const response = await fetch(`${base}/api/auth/sign_in`, {
    method: "POST",
    headers,
    body: new URLSearchParams({ email, password: pw }),
    redirect: "manual",
  });
  await response.arrayBuffer();
  const millis = performance.now() - started;
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  return { status: response.status, millis, cookies };
}

const ok = (status) => status < 400;
const quantile = (sorted, q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

const first = await signIn(password);
const device = first.cookies.find((c) => c.startsWith("ferriam-device=") || c.startsWith("__Host-ferriam-device="));
if (!ok(first.status) || !device) throw new Error(`the real user's first sign-in: HTTP ${first.status}`);
// An answer faster than half a correct sign-in cannot have included an argon2 verification.
const argon2Millis = first.millis / 2;

const times = [];
const statuses = new Map();
const attackStarted = performance.now();
for (let i = 0; i < GUESSES; i++) {
  const answer = await signIn(`wrong-guess-${i}`);
  if (ok(answer.status)) throw new Error(`guess ${i} signed in`);
  times.push(answer.millis);
  statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
}
const attackSeconds = (performance.now() - attackStarted) / 1000;
const slow = times.filter((t) => t >= argon2Millis).length;
times.sort((a, b) => a - b);
console.log(`${GUESSES} guesses in ${attackSeconds.toFixed(1)} s, statuses ${JSON.stringify(Object.fromEntries(statuses))}`);
console.log(
  `about ${slow} reached argon2 (answered in >= ${argon2Millis.toFixed(1)} ms), ${GUESSES - slow} refused cheaply; answer time median ${quantile(times, 0.5).toFixed(1)} ms, p99 ${quantile(times, 0.99).toFixed(1)} ms`,
);

const stranger = await signIn(password);
console.log(`right password, new browser: HTTP ${stranger.status} in ${stranger.millis.toFixed(1)} ms`);
const real = await signIn(password, device);
console.log(`right password, the real user's browser: HTTP ${real.status} in ${real.millis.toFixed(1)} ms`);
if (ok(stranger.status)) throw new Error("a new browser got in while the locks should hold");
if (!ok(real.status)) process.exit(1);
