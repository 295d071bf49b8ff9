// The audit log page: actions, denials and sign-ins of this account show up newest first, the
// filters narrow them on the server, and the JSON lines / CSV exports hold the filtered set in
// CloudTrail's shape.
import { readFileSync } from "node:fs";
import { createAccount } from "./accounts";
import { expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";

const email = "e2e-audit@example.com";
const password = "audit trails need a root user";
let accountId = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  accountId = createAccount(email, password).AccountId;
});

async function signIn(page: Page, secret = password) {
  await page.goto("/signin");
  await hydrated(page);
  await submitRootSignIn(page, email, secret);
}

async function openAudit(page: Page) {
  await page.goto("/audit");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Audit log" })).toBeVisible();
}

test("sign-ins, actions and refusals are on record, filtered and exported", async ({ page }) => {
  // A wrong password first: the attempt is recorded, the message says nothing more.
  await signIn(page, "not the password");
  await expect(page.getByText("Your authentication information is incorrect.")).toBeVisible();
  await signIn(page);
  await expect(page).toHaveURL(/\/$/);

  for (let attempt = 0; attempt < 2; attempt++) {
    await page.goto("/new/user");
    await hydrated(page);
    await page.getByLabel("User name").fill("audited-user");
    await page.getByRole("button", { name: "Create user" }).click();
  }
  await expect(page.locator("#field-UserName-error")).toHaveText("User with name audited-user already exists.");

  await page.getByRole("link", { name: "Audit log" }).click();
  await expect(page).toHaveURL(/\/audit$/);
  await hydrated(page);
  const rows = page.getByTestId("audit-row");
  await expect(rows.first()).toBeVisible();
  // Only this account's events: every principal is of this account.
  for (const principal of await page.getByTestId("audit-principal").allTextContents()) {
    expect(principal).toContain(`arn:aws:iam::${accountId}:`);
  }

  await page.getByLabel("Action").fill("CreateUser");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(rows).toHaveCount(2);
  // Newest first: the refusal above the creation.
  await expect(page.getByTestId("audit-result")).toHaveText(["EntityAlreadyExists", "Success"]);

  // Any error.
  await page.getByLabel("Result").selectOption("error");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId("audit-result")).toHaveText("EntityAlreadyExists");

  // Successful CreateUser calls only.
  await page.getByLabel("Result").selectOption("success");
  await page.getByRole("button", { name: "Apply filters" }).click();
  await expect(rows).toHaveCount(1);
  await expect(page.getByTestId("audit-resource")).toHaveText(`arn:aws:iam::${accountId}:user/audited-user`);

  const [jsonl] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-jsonl").click(),
  ]);
  const lines = readFileSync(await jsonl.path(), "utf8").trim().split("\n");
  expect(lines).toHaveLength(1);
  const event = JSON.parse(lines[0]);
  expect(event).toMatchObject({
    eventSource: "iam.amazonaws.com",
    eventName: "CreateUser",
    awsRegion: "us-east-1",
    eventType: "AwsApiCall",
    readOnly: false,
    recipientAccountId: accountId,
    requestParameters: { userName: "audited-user" },
    userIdentity: { type: "Root", arn: `arn:aws:iam::${accountId}:root`, accountId },
  });
  expect(event.errorCode).toBeUndefined();
  expect(event.eventID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);

  const [csv] = await Promise.all([
    page.waitForEvent("download"),
    page.getByTestId("export-csv").click(),
  ]);
  expect(csv.suggestedFilename()).toBe(`ferriam-audit-${accountId}.csv`);
  const csvLines = readFileSync(await csv.path(), "utf8").trim().split("\n");
  expect(csvLines[0]).toBe(
    "eventTime,eventSource,eventName,userIdentityType,principalArn,accountId,accessKeyId,resourceArn,sourceIPAddress,userAgent,errorCode,errorMessage,requestID,eventID",
  );
  expect(csvLines).toHaveLength(2);
  expect(csvLines[1]).toContain(`iam.amazonaws.com,CreateUser,Root,arn:aws:iam::${accountId}:root`);

  // Sign-out is on record too.
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/signin$/);
  await signIn(page);
  await expect(page).toHaveURL(/\/$/);
  await openAudit(page);
  // Newest first: this sign-in, the sign-out, the sign-in, the refused attempt. (Typed again
  // if the first keystrokes land while the page is still wiring its inputs.)
  await expect(async () => {
    await page.getByLabel("Action").fill("ConsoleLog");
    await page.getByRole("button", { name: "Apply filters" }).click();
    await expect(page.getByTestId("audit-action")).toHaveText(
      ["signin:ConsoleLogin", "signin:ConsoleLogout", "signin:ConsoleLogin", "signin:ConsoleLogin"],
      { timeout: 3_000 },
    );
  }).toPass({ timeout: 20_000 });
  await expect(page.getByTestId("audit-result")).toHaveText(["Success", "Success", "Success", "SignInFailed"]);
});

test("signed out, the export answers 401 and reveals nothing", async ({ request }) => {
  const response = await request.get("/api/audit/export?format=jsonl");
  expect(response.status()).toBe(401);
  expect(await response.text()).not.toContain("CreateUser");
});
