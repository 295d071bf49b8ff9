// Console single sign-on through a real OpenID provider (panva's oidc-provider, started here on
// loopback): the administrator adds the provider, turns console sign-in on and creates two roles
// that trust the person; the person picks "Sign in with …" on the account's sign-in page, signs
// in at the provider, chooses a role and lands in the console as ROLE/SESSION, then signs out.
import { ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { createAccount } from "./accounts";
import { expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";

const email = "e2e-sso@example.com";
const password = "single sign-on needs an administrator";
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT ?? "3100"}`;

let accountId = "";
let issuer = "";
let provider: ChildProcess | undefined;

test.describe.configure({ mode: "serial" });

/** A loopback port nothing listens on now: the provider's, known before it starts, since the
 * redirect URI registered with it names it. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test.beforeAll(async () => {
  accountId = createAccount(email, password).AccountId;
  const port = await freePort();
  const providerKey = Buffer.from(`127.0.0.1:${port}`).toString("base64url");
  const dir = mkdtempSync(join(tmpdir(), "ferriam-e2e-oidc-"));
  const config = join(dir, "config.json");
  writeFileSync(
    config,
    JSON.stringify({
      clients: [
        {
          client_id: "console",
          client_secret: "console-client-secret",
          redirect_uris: [`${baseURL}/sso/callback/${accountId}/${providerKey}`],
          token_endpoint_auth_method: "client_secret_basic",
        },
      ],
      accounts: { dana: { email: "dana@example.com" } },
    }),
  );
  provider = spawn("node", [join(__dirname, "..", "oidc", "provider.mjs"), "--port", String(port), "--config", config, "--keys", join(dir, "keys.json")], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: provider!.stdout! }).once("line", resolve);
    provider!.once("exit", (code) => reject(new Error(`the OpenID provider exited (${code})`)));
  });
  issuer = JSON.parse(firstLine).issuer;
});

test.afterAll(() => {
  provider?.kill();
});

async function signIn(page: Page) {
  await page.goto("/signin");
  await hydrated(page);
  await submitRootSignIn(page, email, password);
  await expect(page).toHaveURL(/\/$/);
}

async function trustingRole(page: Page, name: string) {
  await page.goto("/new/role");
  await hydrated(page);
  await page.getByText("Web identity", { exact: true }).click();
  await page.getByLabel("Audience").selectOption("console");
  await page.getByLabel("Subject (optional)").fill("dana");
  await page.getByLabel("Role name").fill(name);
  await page.getByRole("button", { name: "Create role" }).click();
  await expect(page).toHaveURL(new RegExp(`/roles/${name}$`));
}

test("a person signs in through the identity provider, picks a role and signs out", async ({ page }) => {
  // The administrator: the provider, console sign-in through it, two roles that trust dana.
  await signIn(page);
  await page.goto("/identity-providers");
  await hydrated(page);
  await page.getByTestId("add-provider").click();
  await page.getByLabel("Provider URL").fill(issuer);
  await page.getByLabel("Audiences").fill("console");
  await page.getByRole("button", { name: "Add provider" }).last().click();
  await expect(page).toHaveURL(/\/identity-providers\/details\?arn=/);
  await hydrated(page);
  await expect(page.getByTestId("callback-url")).toHaveText(new RegExp(`^${baseURL}/sso/callback/${accountId}/[A-Za-z0-9_-]+$`));
  // A secret is required the first time.
  await page.getByLabel("Button label").fill("Test IdP");
  await page.getByRole("button", { name: "Turn on console sign-in" }).click();
  await expect(page.getByText("ClientSecret is required")).toBeVisible();
  await page.getByLabel("Client secret").fill("console-client-secret");
  await page.getByRole("button", { name: "Turn on console sign-in" }).click();
  await expect(page.getByRole("button", { name: "Save console sign-in" })).toBeVisible();
  await page.screenshot({ path: "test-results/console-signin-setup.png", fullPage: true });
  await trustingRole(page, "sso-admin");
  await trustingRole(page, "sso-reader");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);

  // The person: the account's sign-in page offers the provider.
  await page.goto(`/signin/${accountId}`);
  await hydrated(page);
  await page.getByRole("button", { name: "Sign in with Test IdP" }).click();
  await expect(page).toHaveURL(new RegExp(`^${issuer}/`));
  await page.locator('input[name="login"]').fill("dana");
  await page.locator('input[name="password"]').fill("whatever the provider asks");
  await page.locator('button[type="submit"]').click();
  await page.getByRole("button", { name: "Continue" }).click();

  // Back at Ferriam: the roles whose trust policies allow dana.
  await expect(page).toHaveURL(/\/sso\/roles$/);
  await expect(page.getByRole("heading", { name: "Choose a role" })).toBeVisible();
  await expect(page.getByText("dana@example.com")).toBeVisible();
  await page.screenshot({ path: "test-results/sso-role-choice.png", fullPage: true });
  await page.getByRole("radio", { name: /sso-reader/ }).check();
  await page.getByRole("button", { name: "Sign in" }).click();

  // The console, as the role session named by dana's email.
  await expect(page).toHaveURL(`${baseURL}/`);
  await hydrated(page);
  await expect(page.getByTestId("principal-name")).toHaveText("sso-reader/dana@example.com");
  await page.screenshot({ path: "test-results/sso-console.png", fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/users");
  await expect(page).toHaveURL(/\/signin/);
});
