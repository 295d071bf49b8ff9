// Console sign-in through a real SAML 2.0 identity provider (pysaml2 signing with xmlsec1,
// started here on loopback by tests/aws/saml_idp.py): the administrator uploads the IdP's
// metadata file and creates two roles with the "SAML 2.0 federation" trusted entity; the person
// starts at the IdP (IdP-initiated, as AWS's console is used), is posted to Ferriam, chooses a
// role, lands in the console as ROLE/SESSION and signs out.
import { ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

import { createAccount } from "./accounts";
import { expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";

const email = "e2e-saml@example.com";
const password = "saml sign-in needs an administrator";
const baseURL = `http://127.0.0.1:${process.env.E2E_PORT ?? "3100"}`;
const repo = join(__dirname, "..", "..");

let accountId = "";
let idpURL = "";
let idp: ChildProcess | undefined;

test.describe.configure({ mode: "serial" });

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
  idp = spawn(
    join(repo, ".tools", "aws-venv", "bin", "python"),
    [join(repo, "tests", "aws", "saml_idp.py"), "--sp-origin", baseURL, "--port", String(port)],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: idp!.stdout! }).once("line", resolve);
    idp!.once("exit", (code) => reject(new Error(`the SAML IdP exited (${code})`)));
  });
  idpURL = firstLine.replace("listening on ", "").trim();
});

test.afterAll(() => {
  idp?.kill();
});

async function signIn(page: Page) {
  await page.goto("/signin");
  await hydrated(page);
  await submitRootSignIn(page, email, password);
  await expect(page).toHaveURL(/\/$/);
}

async function samlRole(page: Page, name: string) {
  await page.goto("/new/role");
  await hydrated(page);
  await page.getByText("SAML 2.0 federation", { exact: true }).click();
  await expect(page.getByTestId("trust-preview")).toContainText("sts:AssumeRoleWithSAML");
  await expect(page.getByTestId("trust-preview")).toContainText(`${baseURL}/saml`);
  await page.getByLabel("Role name").fill(name);
  await page.getByRole("button", { name: "Create role" }).click();
  await expect(page).toHaveURL(new RegExp(`/roles/${name}$`));
}

test("a person signs in at the SAML identity provider, picks a role and signs out", async ({ page, request }) => {
  // The administrator: the IdP's metadata file uploaded, two roles that trust it.
  const metadata = await (await request.get(`${idpURL}/metadata`)).text();
  const file = join(mkdtempSync(join(tmpdir(), "ferriam-e2e-saml-")), "idp-metadata.xml");
  writeFileSync(file, metadata);
  await signIn(page);
  await page.goto("/identity-providers");
  await hydrated(page);
  await page.getByTestId("add-saml-provider").click();
  await page.getByLabel("Name", { exact: true }).fill("corp");
  await page.getByLabel("Metadata document").setInputFiles(file);
  await expect(page.locator("#field-SAMLMetadataDocument")).toHaveValue(/EntityDescriptor/);
  await page.getByRole("button", { name: "Add SAML provider" }).last().click();
  await expect(page).toHaveURL(/\/identity-providers\/saml\?arn=/);
  await hydrated(page);
  await expect(page.getByTestId("saml-entity-id")).toHaveText(`${idpURL}/idp`);
  await expect(page.getByTestId("saml-certificates")).toContainText("CN=ferriam-test-idp");
  await expect(page.getByTestId("saml-acs-url")).toHaveText(`${baseURL}/saml`);
  await page.screenshot({ path: "test-results/saml-provider.png", fullPage: true });
  await samlRole(page, "saml-admin");
  await samlRole(page, "saml-reader");
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);

  // The person starts at the identity provider, which posts the signed response to Ferriam.
  const provider = `arn:aws:iam::${accountId}:saml-provider/corp`;
  const roles = ["saml-admin", "saml-reader"].map((role) => `arn:aws:iam::${accountId}:role/${role},${provider}`);
  const login = `${idpURL}/login?user=dana&${roles.map((r) => `role=${encodeURIComponent(r)}`).join("&")}`;
  await page.goto(login);
  await page.getByRole("button", { name: "Continue to Ferriam as dana" }).click();

  // Back at Ferriam: the roles the response lists whose trust allows dana.
  await expect(page).toHaveURL(/\/saml\/roles$/);
  await expect(page.getByRole("heading", { name: "Choose a role" })).toBeVisible();
  await page.screenshot({ path: "test-results/saml-role-choice.png", fullPage: true });
  await page.getByRole("radio", { name: /saml-reader/ }).check();
  await page.getByRole("button", { name: "Sign in" }).click();

  await expect(page).toHaveURL(`${baseURL}/`);
  await hydrated(page);
  await expect(page.getByTestId("principal-name")).toHaveText("saml-reader/dana");
  await page.screenshot({ path: "test-results/saml-console.png", fullPage: true });
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/users");
  await expect(page).toHaveURL(/\/signin/);

});
