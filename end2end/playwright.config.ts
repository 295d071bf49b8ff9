// Playwright drives Debian's chromium (npm never downloads browsers here) against a debug
// server it starts itself, on its own port, with an empty data directory from the Makefile.
import { defineConfig } from "@playwright/test";

const port = process.env.E2E_PORT ?? "3100";
const baseURL = `http://127.0.0.1:${port}`;
const serverBin = process.env.FERRIAM_BIN;
if (!serverBin) {
  throw new Error("FERRIAM_BIN must name the ferriam binary; run the tests with `make test`.");
}

export default defineConfig({
  testDir: "./tests",
  timeout: 90_000,
  expect: { timeout: 10_000 },
  // The tests are one person's journey through one server: they run in order.
  workers: 1,
  fullyParallel: false,
  reporter: [["list"]],
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  // The root account journey sees the server empty (its first visit creates the account);
  // every other spec runs after it and sets up what it needs itself.
  projects: [
    { name: "first-run", testMatch: /root_account\.spec\.ts/ },
    { name: "console", testIgnore: /root_account\.spec\.ts/, dependencies: ["first-run"] },
  ],
  webServer: {
    // The single sign-on journey signs in through an OpenID provider on plain http://127.0.0.1.
    command: `${serverBin} serve --addr 127.0.0.1:${port} --allow-loopback-http-idp`,
    url: `${baseURL}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: "pipe",
    stderr: "pipe",
  },
});
