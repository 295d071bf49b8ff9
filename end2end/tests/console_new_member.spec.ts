// A new team member's first day. The root user sets a password policy, makes a group with
// read-only access and self-service credentials, and a user in it with a console password that
// must be reset. The user signs in at the account's URL, must choose a new password (a weak one
// is refused with the rule it breaks), can read but not create users, creates an access key
// (its secret is shown once and is nowhere after a reload), turns on MFA, and signs in again
// with a code. Once the root user attaches IAMFullAccess, the user can create a user.
//
// The account is created headlessly with `ferriam account create` (sign-up is closed by then).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createAccount } from "./accounts";
import { Browser, expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";
import { nowSeconds, totp } from "./totp";

const rootEmail = "e2e-new-member@example.com";
const rootPassword = "new member journey root password";
const userName = "dana";
const initialPassword = "Initial-Pass-1!";
const newPassword = "Brand-New-Pass-42!";

let accountId = "";
let mfaSecret = "";
// The latest 30-second step whose code the server accepted: it never accepts it again.
let lastStep = 0;

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  accountId = createAccount(rootEmail, rootPassword).AccountId;
  expect(accountId).toMatch(/^\d{12}$/);
});

async function open(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

async function rootPage(browser: Browser): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await open(page, "/signin");
  await submitRootSignIn(page, rootEmail, rootPassword);
  await expect(page).toHaveURL(/\/$/);
  return page;
}

/** A code the server accepts (current step ± 1) and has not seen yet, waiting if need be. */
async function freshCode(page: Page): Promise<string> {
  for (;;) {
    const current = Math.floor(nowSeconds() / 30);
    const step = Math.max(lastStep + 1, current - 1);
    if (step <= current + 1) {
      lastStep = step;
      return totp(mfaSecret, step * 30);
    }
    await page.waitForTimeout(1000);
  }
}

/** With SCREENSHOT_DIR set, keeps a picture of the page for a person to look at. */
async function picture(page: Page, name: string) {
  const dir = process.env.SCREENSHOT_DIR;
  if (dir) await page.screenshot({ path: join(dir, `${name}.png`), fullPage: true });
}

async function userSignIn(page: Page, password: string) {
  await open(page, `/signin/${accountId}`);
  await page.getByLabel("User name").fill(userName);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("the root user sets a password policy on the account settings page", async ({ browser }) => {
  const page = await rootPage(browser);
  await page.getByRole("link", { name: "Account settings" }).click();
  await expect(page).toHaveURL(/\/account$/);
  await hydrated(page);
  await expect(page.getByTestId("account-signin-url")).toContainText(`/signin/${accountId}`);
  await expect(page.getByTestId("password-rules")).toContainText("At least 8 characters");

  await page.getByTestId("edit-password-policy").click();
  // Out of AWS's range: refused beside the field, nothing saved.
  await page.getByLabel("Password minimum length").fill("200");
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.locator("#field-MinimumPasswordLength-error")).toContainText("less than or equal to 128");
  await page.getByLabel("Password minimum length").fill("12");
  await page.getByLabel("Require at least one number").check();
  await page.getByLabel(/Require at least one non-alphanumeric character/).check();
  await page.getByLabel("Allow users to change their own password").check();
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByTestId("password-rules")).toContainText("At least 12 characters");
  await expect(page.getByTestId("password-rules")).toContainText("At least one number (0–9)");
  await expect(page.getByTestId("password-rules")).toContainText("Users may change their own password");
  await picture(page, "account-settings");

  // Root access keys come with AWS's warning against them.
  await open(page, "/security-credentials");
  await expect(page.getByTestId("root-keys-warning")).toContainText("we don't recommend creating root access keys");
  await expect(page.getByTestId("access-keys-panel")).toContainText("No access keys.");
  await picture(page, "root-security-credentials");
});

test("the root user creates a group and a user in it with a password to reset", async ({ browser }) => {
  const page = await rootPage(browser);
  await open(page, "/new/group");
  await page.getByLabel("Group name").fill("Newcomers");
  await page.getByLabel("Filter policies by name").fill("IAMReadOnly");
  await page.getByRole("checkbox", { name: "IAMReadOnlyAccess" }).check();
  await page.getByLabel("Filter policies by name").fill("FerriamSelfManage");
  await page.getByRole("checkbox", { name: "FerriamSelfManageCredentials" }).check();
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page).toHaveURL(/\/groups\/Newcomers$/);

  await open(page, "/new/user");
  await page.getByLabel("User name").fill(userName);
  await page.getByRole("checkbox", { name: "Newcomers" }).check();
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page).toHaveURL(new RegExp(`/users/${userName}$`));
  await hydrated(page);

  await page.getByRole("tab", { name: "Security credentials" }).click();
  await expect(page.getByTestId("console-access")).toContainText("Disabled");
  await page.getByTestId("edit-console-password").click();
  await page.getByLabel("Custom password").check();
  // Breaks the new policy: the service's words, and console access stays off.
  await page.getByLabel("Password", { exact: true }).fill("short1!");
  await page.getByRole("button", { name: "Enable console access" }).last().click();
  await expect(page.getByRole("alert").filter({ hasText: "minimum length" })).toHaveText("Password should have a minimum length of 12");
  await page.getByLabel("Password", { exact: true }).fill(initialPassword);
  await expect(page.getByLabel("User must create a new password at next sign-in")).toBeChecked();
  await page.getByRole("button", { name: "Enable console access" }).last().click();
  await expect(page.getByTestId("console-access")).toHaveText("Enabled");
  await expect(page.getByTestId("password-reset-required")).toHaveText("Yes");
  await picture(page, "user-credentials-tab");
});

test("the user must set a new password, and a weak one is refused with the rule", async ({ page }) => {
  await userSignIn(page, initialPassword);
  await expect(page).toHaveURL(/\/signin\/step\/new-password$/);
  await hydrated(page);
  await page.getByLabel("New password", { exact: true }).fill("weakpassword");
  await page.getByLabel("Confirm new password").fill("weakpassword");
  await page.getByRole("button", { name: "Set password and continue" }).click();
  await expect(page.getByText("Password should have at least one number, Password should have at least one symbol")).toBeVisible();
  await expect(page).toHaveURL(/\/signin\/step\/new-password$/);

  await page.getByLabel("New password", { exact: true }).fill(newPassword);
  await page.getByLabel("Confirm new password").fill(newPassword);
  await page.getByRole("button", { name: "Set password and continue" }).click();
  await expect(page).toHaveURL(/\/$/);

  // Read-only: the list is there, "Create user" is not, with AWS's sentence on it.
  await open(page, "/users");
  await expect(page.getByRole("link", { name: userName, exact: true })).toBeVisible();
  await expect(page.getByTestId("create-user")).toBeDisabled();
  await expect(page.getByTestId("create-user")).toHaveAttribute(
    "title",
    `User: arn:aws:iam::${accountId}:user/${userName} is not authorized to perform: iam:CreateUser on resource: arn:aws:iam::${accountId}:user/* because no identity-based policy allows the iam:CreateUser action`,
  );
});

test("the user creates an access key whose secret is shown once, and turns on MFA", async ({ page }) => {
  await userSignIn(page, newPassword);
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole("link", { name: "My security credentials" }).click();
  await expect(page).toHaveURL(/\/security-credentials$/);
  await hydrated(page);

  await page.getByTestId("create-access-key").click();
  const dialog = page.getByTestId("new-key-dialog");
  await expect(dialog).toBeVisible();
  const keyId = (await page.getByTestId("new-key-id").textContent())!.trim();
  expect(keyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
  await dialog.getByRole("button", { name: "Show" }).click();
  const secret = (await page.getByTestId("new-key-secret").textContent())!.trim();
  expect(secret).toHaveLength(40);
  await picture(page, "new-access-key-dialog");

  // The .csv downloads under the CSP, with AWS's header.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    dialog.getByRole("link", { name: "Download .csv file" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`${keyId}_accessKeys.csv`);
  const csv = readFileSync((await download.path())!, "utf8");
  expect(csv).toBe(`Access key ID,Secret access key\r\n${keyId},${secret}\r\n`);

  await dialog.getByRole("button", { name: "Done" }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByTestId("access-key-row")).toContainText(keyId);
  expect(await page.content()).not.toContain(secret);
  await page.reload();
  await hydrated(page);
  await expect(page.getByTestId("access-key-row")).toContainText(keyId);
  await expect(page.getByTestId("access-key-row")).toContainText("Active");
  expect(await page.content()).not.toContain(secret);

  // MFA: a device named after the user, enabled with two consecutive codes.
  await page.getByTestId("assign-mfa").click();
  await expect(page.getByAltText("QR code for the virtual MFA device")).toBeVisible();
  await page.getByRole("button", { name: "Show secret key" }).click();
  mfaSecret = (await page.getByTestId("mfa-secret").textContent())!.trim();
  const now = nowSeconds();
  lastStep = Math.floor(now / 30);
  await page.getByLabel("MFA code 1").fill(totp(mfaSecret, now - 30));
  await page.getByLabel("MFA code 2").fill(totp(mfaSecret, now));
  await page.getByRole("button", { name: "Add MFA" }).click();
  await expect(page.getByTestId("mfa-status")).toHaveText("MFA is enabled.");
  await expect(page.getByTestId("mfa-serial")).toHaveText(`arn:aws:iam::${accountId}:mfa/${userName}`);
  await picture(page, "my-security-credentials");

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await userSignIn(page, newPassword);
  await expect(page).toHaveURL(/\/signin\/step\/mfa$/);
  await hydrated(page);
  await page.getByLabel("MFA code").fill(await freshCode(page));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("principal-name")).toContainText(userName);
});

test("once the root user attaches IAMFullAccess, the user can create a user", async ({ browser }) => {
  const root = await rootPage(browser);
  await open(root, `/users/${userName}`);
  await root.getByTestId("attach-policies").click();
  await root.getByLabel("Filter policies by name").fill("IAMFullAccess");
  await root.getByRole("button", { name: "Attach IAMFullAccess" }).click();
  await expect(root.getByTestId("permissions-table").getByRole("row", { name: /IAMFullAccess/ })).toContainText("Attached directly");

  const page = await (await browser.newContext()).newPage();
  await userSignIn(page, newPassword);
  await expect(page).toHaveURL(/\/signin\/step\/mfa$/);
  await hydrated(page);
  await page.getByLabel("MFA code").fill(await freshCode(page));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/$/);
  await open(page, "/users");
  await expect(page.getByTestId("create-user")).toBeEnabled();
  await page.getByTestId("create-user").click();
  await expect(page).toHaveURL(/\/new\/user$/);
  await hydrated(page);
  await page.getByLabel("User name").fill("erin");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page).toHaveURL(/\/users\/erin$/);
});
