// Accounts for the journeys, made headlessly with `ferriam account create` against the database
// the test server uses (sign-up is closed once the first account exists). Their root users have
// no MFA.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** What `ferriam account create` prints. */
export interface CreatedAccount {
  AccountId: string;
  Alias: string | null;
  RootEmail: string;
}

export function createAccount(email: string, password: string): CreatedAccount {
  const bin = process.env.FERRIAM_BIN;
  const dataDir = process.env.FERRIAM_DATA_DIR;
  if (!bin || !dataDir) throw new Error("FERRIAM_BIN and FERRIAM_DATA_DIR must be set; run `make test-e2e`.");
  // The password goes through a file, as the command asks, to keep it off the process list.
  const dir = mkdtempSync(join(tmpdir(), "ferriam-e2e-"));
  const passwordFile = join(dir, "password");
  writeFileSync(passwordFile, password + "\n", { mode: 0o600 });
  try {
    const out = execFileSync(bin, ["--data-dir", dataDir, "account", "create", "--email", email, "--password-file", passwordFile], {
      encoding: "utf8",
    });
    return JSON.parse(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
