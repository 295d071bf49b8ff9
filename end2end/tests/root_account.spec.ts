// The root user's first day: create the account, sign out and in, turn on MFA, and meet the
// refusals a careful console gives (reused code, wrong password, signed-out console).
import { expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";
import { nowSeconds, totp } from "./totp";

const email = "owner@example.com";
const password = "correct horse battery staple";
let secret = "";
let usedCode = "";

test.describe.configure({ mode: "serial" });

async function signInWithPassword(page: Page, pw: string) {
  await page.goto("/signin");
  await hydrated(page);
  await submitRootSignIn(page, email, pw);
}

/** The browser's device cookie, which a correct password gives it (OWASP's device cookies). */
async function deviceCookie(page: Page) {
  return (await page.context().cookies()).find((cookie) => cookie.name === "ferriam-device");
}

async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
}

test("the first visit offers account creation and signs the root user in", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signup$/);
  await hydrated(page);

  // Bad input is refused next to its field, and nothing is created.
  await page.getByLabel("Root user email address").fill("not-an-email");
  await page.getByLabel("Root user password").fill(password);
  await page.getByLabel("Confirm password").fill(password);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-email-error")).toContainText("valid email address");

  await page.getByLabel("Root user email address").fill(email);
  await page.getByLabel("Confirm password").fill(password + "x");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-confirm_password-error")).toHaveText("The passwords do not match.");

  await page.getByLabel("Confirm password").fill(password);
  await page.getByLabel("Account alias (optional)").fill("Bad--Alias");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.locator("#field-alias-error")).toContainText("3 to 63 characters");

  await page.getByLabel("Account alias (optional)").fill("acme-prod");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("principal-name")).toHaveText("Root user");
  await expect(page.getByTestId("account-alias")).toHaveText("acme-prod");
  await expect(page.getByTestId("account-id")).toHaveText(/^[1-9]\d{3}-\d{4}-\d{4}$/);
  await expect(page.getByTestId("signin-url")).toHaveText(/^http:\/\/127\.0\.0\.1:\d+\/signin\/acme-prod$/);
  await expect(page.getByTestId("root-mfa-status")).toContainText("Add MFA for the root user");

  // Sign-up is closed now that an account exists.
  await signOut(page);
  await page.goto("/signup");
  await expect(page).toHaveURL(/\/signin$/);
});

test("the root user signs in and enables MFA with two consecutive codes", async ({ page }) => {
  await signInWithPassword(page, password);
  await expect(page).toHaveURL(/\/$/);
  await page.getByRole("link", { name: "Add MFA" }).click();
  await expect(page).toHaveURL(/\/security-credentials$/);
  await page.getByRole("button", { name: "Assign MFA device" }).click();
  await expect(page.getByAltText("QR code for the virtual MFA device")).toBeVisible();
  await page.getByRole("button", { name: "Show secret key" }).click();
  secret = (await page.getByTestId("mfa-secret").textContent())!.trim();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);

  // A wrong pair is refused with AWS's words.
  await page.getByLabel("MFA code 1").fill("000000");
  await page.getByLabel("MFA code 2").fill("000000");
  await page.getByRole("button", { name: "Add MFA" }).click();
  await expect(page.locator("#field-code1-error")).toHaveText("Authentication code for device is not valid.");

  const now = nowSeconds();
  await page.getByLabel("MFA code 1").fill(totp(secret, now - 30));
  await page.getByLabel("MFA code 2").fill(totp(secret, now));
  await page.getByRole("button", { name: "Add MFA" }).click();
  await expect(page.getByTestId("mfa-status")).toHaveText("MFA is enabled for the root user.");

  await page.getByRole("link", { name: "Dashboard" }).click();
  await expect(page.getByTestId("root-mfa-status")).toContainText("The root user has MFA.");
  await signOut(page);
});

test("sign-in asks for the code, and a used code is never accepted again", async ({ page }) => {
  await signInWithPassword(page, password);
  await expect(page).toHaveURL(/\/signin\/step\/mfa$/);
  await hydrated(page);
  // The step after the one used to enable: still inside the accepted window.
  usedCode = totp(secret, nowSeconds() + 30);
  await page.getByLabel("MFA code").fill(usedCode);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId("principal-name")).toHaveText("Root user");
  // The correct password left a device cookie that scripts cannot read and sign-out keeps.
  const device = await deviceCookie(page);
  expect(device?.httpOnly).toBe(true);
  expect(device?.sameSite).toBe("Strict");
  expect(await page.evaluate(() => document.cookie)).not.toContain("ferriam-device");
  await signOut(page);
  expect((await deviceCookie(page))?.value).toBe(device?.value);

  await signInWithPassword(page, password);
  await expect(page).toHaveURL(/\/signin\/step\/mfa$/);
  await hydrated(page);
  await page.getByLabel("MFA code").fill(usedCode);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.locator("#field-code-error")).toContainText("not valid or was already used");
  await expect(page).toHaveURL(/\/signin\/step\/mfa$/);
});

test("a wrong password and an unknown email read the same", async ({ page }) => {
  await signInWithPassword(page, "wrong password entirely");
  await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toHaveText(
    "Your authentication information is incorrect.",
  );
  await submitRootSignIn(page, "nobody@example.com", password);
  await expect(page.getByRole("alert").filter({ hasText: "incorrect" })).toHaveText(
    "Your authentication information is incorrect.",
  );
  await expect(page).toHaveURL(/\/signin$/);
  // Wrong passwords earn no device cookie.
  expect(await deviceCookie(page)).toBeUndefined();
});

test("the console redirects to sign-in when signed out", async ({ page }) => {
  await page.goto("/");
  await expect(page).toHaveURL(/\/signin$/);
  await page.goto("/security-credentials");
  await expect(page).toHaveURL(/\/signin$/);
  // Server functions refuse unauthenticated calls too.
  const response = await page.request.post("/api/security_credentials/begin_mfa_setup", { form: {} });
  expect(response.status()).toBe(401);
});
