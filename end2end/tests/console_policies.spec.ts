// Managed policies in the console: write one in the editor (live validation blocks saving until
// the document is fixed), version it, read its summary, delete it by typing its name; and the
// refusals for bad names, duplicates, oversized documents and the fifth-version limit.
import { createAccount } from "./accounts";
import { expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";

const email = "e2e-policies@example.com";
const password = "policies need their own root user";
const name = "e2e-readers";

test.describe.configure({ mode: "serial" });

// Sign-up is closed once root_account.spec.ts has run: create this spec's account headlessly,
// in the server's own database.
test.beforeAll(() => {
  createAccount(email, password);
});

async function signIn(page: Page) {
  await page.goto("/signin");
  await hydrated(page);
  await submitRootSignIn(page, email, password);
  await expect(page).toHaveURL(/\/$/);
}

async function openPolicy(page: Page, policy: string) {
  await page.goto("/policies");
  await hydrated(page);
  await page.getByRole("link", { name: policy, exact: true }).click();
  await expect(page).toHaveURL(/\/policies\/details\?arn=/);
  await expect(page.getByTestId("policy-name")).toHaveText(policy);
}

function policyDocument(actions: string[], extra = ""): string {
  return `{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": ${JSON.stringify(actions)},
      "Resource": "*"${extra}
    }
  ]
}`;
}

// Line 7 lacks the comma that ends line 6.
const missingComma = policyDocument(["iam:GetUser"]).replace(`["iam:GetUser"],`, `["iam:GetUser"]`);

test("a policy is written in the editor, refused live while invalid, then created", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Policies" }).click();
  await expect(page).toHaveURL(/\/policies$/);
  await hydrated(page);
  await page.getByTestId("create-policy").click();
  await expect(page).toHaveURL(/\/policies\/new$/);

  await page.getByLabel("Policy name").fill(name);
  await page.getByLabel("Description (optional)").fill("Reads <script>window.pwned = true</script> users");
  const editor = page.locator("#policy-editor-document");
  const create = page.getByRole("button", { name: "Create policy" });
  await expect(create).toBeEnabled();

  await editor.fill(missingComma);
  const error = page.getByTestId("policy-error");
  await expect(error).toContainText("MalformedPolicyDocument");
  await expect(error).toContainText("Syntax errors in policy.");
  const finding = page.getByTestId("policy-finding").first();
  await expect(finding).toHaveAttribute("data-severity", "error");
  await expect(finding.getByTestId("finding-place")).toHaveText("line 7, column 7");
  await expect(page.locator('[data-testid=editor-line-number][data-severity=error]')).toHaveText(["7"]);
  await expect(create).toBeDisabled();

  // Clicking the finding selects the offending text in the editor.
  await finding.getByRole("button").click();
  const offset = missingComma.split("\n").slice(0, 6).join("\n").length + 1 + 6;
  await expect
    .poll(() => editor.evaluate((t: HTMLTextAreaElement) => [t.selectionStart, document.activeElement === t]))
    .toEqual([offset, true]);

  await editor.fill(policyDocument(["iam:GetUser", "iam:ListUsers"]));
  await expect(error).toHaveCount(0);
  await expect(page.getByTestId("policy-no-findings")).toBeVisible();
  await create.click();

  await expect(page).toHaveURL(/\/policies\/details\?arn=arn%3Aaws%3Aiam%3A%3A\d{12}%3Apolicy%2Fe2e%2Dreaders$/);
  await expect(page.getByTestId("policy-name")).toHaveText(name);
  await expect(page.getByTestId("policy-type")).toHaveText("Customer managed");
  await expect(page.getByTestId("default-version")).toHaveText("v1");
  // User text is text: the script tag shows and never runs.
  await expect(page.getByTestId("policy-description")).toHaveText("Reads <script>window.pwned = true</script> users");
  expect(await page.evaluate(() => (window as any).pwned)).toBeUndefined();
  const summary = page.getByTestId("summary-row");
  await expect(summary).toHaveCount(1);
  await expect(summary).toContainText("iam");
  await expect(summary).toContainText("iam:GetUser");
  await expect(summary).toContainText("All resources");
});

test("a second version is saved, made the default and shown in the summary", async ({ page }) => {
  await signIn(page);
  await openPolicy(page, name);
  await page.getByRole("tab", { name: "Edit" }).click();
  await page.locator("#policy-editor-document").fill(policyDocument(["s3:GetObject"]));
  await page.getByLabel("Set as default").uncheck();
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByTestId("policy-notice")).toHaveText("Saved as version v2. The default version is unchanged.");
  await expect(page.getByTestId("default-version")).toHaveText("v1");

  await page.getByRole("tab", { name: "Versions" }).click();
  await expect(page.getByTestId("versions-limit")).toContainText("2 of 5 versions");
  await expect(page.getByTestId("version-row")).toHaveCount(2);
  await expect(page.getByTestId("version-row").first()).toHaveAttribute("data-version", "v2");
  const v1 = page.locator("[data-testid=version-row][data-version=v1]");
  const v2 = page.locator("[data-testid=version-row][data-version=v2]");
  await expect(v1.getByTestId("default-badge")).toBeVisible();
  // The default version can be neither made default again nor deleted.
  await expect(v1.getByTestId("delete-version")).toBeDisabled();
  await v2.getByTestId("make-default").click();
  await expect(page.getByTestId("policy-notice")).toHaveText("v2 is now the default version.");
  await expect(page.getByTestId("default-version")).toHaveText("v2");
  await expect(v2.getByTestId("default-badge")).toBeVisible();

  await v1.getByRole("button", { name: "v1" }).click();
  await expect(page.getByTestId("version-document")).toContainText("Version v1");
  await expect(page.getByTestId("version-document")).toContainText("iam:ListUsers");

  await page.getByRole("tab", { name: "Permissions" }).click();
  await expect(page.getByTestId("summary-row")).toContainText("s3:GetObject");
});

test("the policy is attached to nothing, and is deleted by typing its name", async ({ page }) => {
  await signIn(page);
  await openPolicy(page, name);
  await page.getByRole("tab", { name: "Entities attached" }).click();
  await expect(page.getByTestId("entities-empty")).toHaveText("This policy is not attached to any user, group or role.");

  await page.getByTestId("delete-policy").click();
  const dialog = page.getByRole("dialog");
  const confirm = dialog.getByRole("button", { name: "Delete" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type the name to confirm").fill("e2e-reader");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type the name to confirm").fill(name);
  await confirm.click();
  await expect(page).toHaveURL(/\/policies$/);
  await expect(page.getByRole("link", { name: "AdministratorAccess" })).toBeVisible();
  await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
});

test("AWS managed policies are read-only", async ({ page }) => {
  await signIn(page);
  await openPolicy(page, "IAMReadOnlyAccess");
  await expect(page.getByTestId("policy-type")).toHaveText("AWS managed");
  await expect(page.getByTestId("read-only-notice")).toContainText("cannot be edited or deleted");
  await expect(page.getByRole("tab", { name: "Edit" })).toHaveCount(0);
  await expect(page.getByTestId("delete-policy")).toHaveCount(0);
  await expect(page.getByTestId("summary-row")).toContainText("iam:List*");
});

test("bad input is refused next to its field and saves nothing", async ({ page }) => {
  await signIn(page);
  const createPolicy = async (policyName: string) => {
    await page.goto("/policies/new");
    await hydrated(page);
    await page.getByLabel("Policy name").fill(policyName);
    await page.getByRole("button", { name: "Create policy" }).click();
  };
  const nameError = page.locator("#field-policy_name-error");

  await createPolicy("bad name!");
  await expect(nameError).toHaveText(
    "The specified value for policyName is invalid. It must contain only alphanumeric characters and/or the following: +=,.@_-",
  );

  await createPolicy("Team-Policy");
  await expect(page).toHaveURL(/\/policies\/details\?arn=/);
  await createPolicy("team-POLICY");
  await expect(nameError).toHaveText("A policy called team-POLICY already exists. Duplicate names are not allowed.");
  await expect(page).toHaveURL(/\/policies\/new$/);

  // Documents IAM would refuse are refused in the browser, before any request.
  const editor = page.locator("#policy-editor-document");
  const create = page.getByRole("button", { name: "Create policy" });
  await page.getByLabel("Policy name").fill("too-large");
  const actions = Array.from({ length: 400 }, (_, i) => `iam:GetUser${i}`);
  await editor.fill(policyDocument(actions));
  await expect(page.getByTestId("policy-error")).toContainText("LimitExceeded: Cannot exceed quota for PolicySize: 6144");
  await expect(create).toBeDisabled();
  await editor.fill("{");
  await expect(page.getByTestId("policy-error")).toContainText("Syntax errors in policy.");
  await expect(create).toBeDisabled();

  await page.goto("/policies");
  await hydrated(page);
  await page.getByPlaceholder("Filter this page by policy name").fill("team");
  await expect(page.getByTestId("policy-row")).toHaveCount(1);
  await page.getByPlaceholder("Filter this page by policy name").fill("too-large");
  await expect(page.getByTestId("policy-row")).toHaveCount(0);
});

test("a sixth version is refused with AWS's LimitExceeded message", async ({ page }) => {
  await signIn(page);
  await openPolicy(page, "Team-Policy");
  await page.getByRole("tab", { name: "Edit" }).click();
  for (let version = 2; version <= 5; version++) {
    await page.locator("#policy-editor-document").fill(policyDocument([`iam:GetRole${version}`]));
    await page.getByRole("button", { name: "Save as new version" }).click();
    await expect(page.getByTestId("policy-notice")).toHaveText(`Saved as version v${version}, now the default version.`);
  }
  await page.locator("#policy-editor-document").fill(policyDocument(["iam:GetRole6"]));
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "LimitExceeded" })).toHaveText(
    "LimitExceeded: A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.",
  );
  await page.getByRole("tab", { name: "Versions" }).click();
  await expect(page.getByTestId("versions-limit")).toContainText("5 of 5 versions");
});
