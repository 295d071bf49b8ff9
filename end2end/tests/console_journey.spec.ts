// The root user's whole first afternoon, in one sitting: a policy written in the editor (refused
// live while invalid, then fixed), a second version made the default, a group given that
// policy, a user created in the group whose effective permissions name their source, a role
// with a trust policy, and the user deleted by typing its name.
import { createAccount } from "./accounts";
import { expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";

const email = "e2e-journey@example.com";
const password = "one afternoon in the console";

test.beforeAll(() => {
  createAccount(email, password);
});

async function open(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

function document(actions: string[]): string {
  return JSON.stringify(
    { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: actions, Resource: "*" }] },
    null,
    2,
  );
}

test("root builds a policy, a group, a user and a role, then deletes the user", async ({ page }) => {
  await open(page, "/signin");
  await submitRootSignIn(page, email, password);
  await expect(page).toHaveURL(/\/$/);

  // 1. A policy in the editor: the live error blocks saving until fixed.
  await open(page, "/policies/new");
  await page.getByLabel("Policy name").fill("journey-readers");
  const editor = page.locator("#policy-editor-document");
  const create = page.getByRole("button", { name: "Create policy" });
  await editor.fill(document(["iam:GetUser"]).replace('"Effect"', "Effect"));
  await expect(page.getByTestId("policy-error")).toContainText("Syntax errors in policy.");
  await expect(create).toBeDisabled();
  await editor.fill(document(["iam:GetUser"]));
  await expect(page.getByTestId("policy-error")).toHaveCount(0);
  await create.click();
  await expect(page.getByTestId("policy-name")).toHaveText("journey-readers");
  await expect(page.getByTestId("default-version")).toHaveText("v1");

  // 2. A second version, made the default as it is saved.
  await page.getByRole("tab", { name: "Edit" }).click();
  await editor.fill(document(["iam:GetUser", "iam:ListUsers"]));
  await page.getByLabel("Set as default").check();
  await page.getByRole("button", { name: "Save as new version" }).click();
  await expect(page.getByTestId("default-version")).toHaveText("v2");

  // 3. A group with that policy.
  await open(page, "/new/group");
  await page.getByLabel("Group name").fill("Readers");
  await page.getByLabel("Filter policies by name").fill("journey");
  await page.getByRole("checkbox", { name: "journey-readers" }).check();
  await page.getByRole("button", { name: "Create group" }).click();
  await expect(page).toHaveURL(/\/groups\/Readers$/);

  // 4. A user in the group; its effective permissions name where each comes from.
  await open(page, "/new/user");
  await page.getByLabel("User name").fill("carol");
  await page.getByRole("checkbox", { name: "Readers", exact: true }).check();
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page).toHaveURL(/\/users\/carol$/);
  const row = page.getByTestId("permissions-table").getByRole("row", { name: /journey-readers/ });
  await expect(row).toContainText("Group Readers");
  await expect(row).toContainText("Customer managed");
  await row.getByRole("button", { name: /journey-readers/ }).click();
  await expect(page.getByText('"iam:ListUsers"').first()).toBeVisible();

  // 5. A role another account may assume.
  await open(page, "/new/role");
  await page.getByRole("radio", { name: /Another AWS account/ }).check();
  await page.getByLabel("Account ID").fill("210987654321");
  await page.getByLabel("Role name").fill("auditor");
  await page.getByRole("button", { name: "Create role" }).click();
  await expect(page).toHaveURL(/\/roles\/auditor$/);
  await page.getByRole("tab", { name: "Trust relationships" }).click();
  await expect(page.getByTestId("trust-policy")).toContainText("arn:aws:iam::210987654321:root");

  // 6. The user goes, by typing its name.
  await open(page, "/users/carol");
  await page.getByTestId("delete-user").click();
  const dialog = page.getByRole("dialog");
  const confirm = dialog.getByRole("button", { name: "Delete" });
  await dialog.getByLabel("Type the name to confirm").fill("caro");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type the name to confirm").fill("carol");
  await confirm.click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.getByRole("link", { name: "carol" })).toHaveCount(0);
});
