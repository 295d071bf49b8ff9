// An administrator's afternoon with users, groups and roles: a group with a policy, a user in
// it with a policy of its own, where each permission comes from, attach and detach, inline
// policies, tags, a role trusted by another account, and deleting the user by typing its name.
// Bad input along the way is refused beside its field and saves nothing.
//
// The account is created headlessly with the `ferriam account create` command (sign-up is
// closed by then), against the same database the server uses; its root user has no MFA.
import { createAccount } from "./accounts";
import { expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";

const email = "e2e-entities@example.com";
const password = "entities journey password";

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  expect(createAccount(email, password).RootEmail).toBe(email);
});

async function signIn(page: Page) {
  await page.goto("/signin");
  await hydrated(page);
  await submitRootSignIn(page, email, password);
  await expect(page).toHaveURL(/\/$/);
}

async function open(page: Page, path: string) {
  await page.goto(path);
  await hydrated(page);
}

function permissionsRow(page: Page, name: string) {
  return page.getByTestId("permissions-table").getByRole("row", { name: new RegExp(name) });
}

test("a group is created with a managed policy", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "User groups" }).click();
  await expect(page).toHaveURL(/\/groups$/);
  await hydrated(page);
  await page.getByTestId("create-group").click();
  await expect(page).toHaveURL(/\/new\/group$/);

  await page.getByLabel("Group name").fill("Developers");
  await page.getByLabel("Filter policies by name").fill("ReadOnly");
  await page.getByRole("checkbox", { name: "IAMReadOnlyAccess" }).check();
  await page.getByRole("button", { name: "Create group" }).click();

  await expect(page).toHaveURL(/\/groups\/Developers$/);
  await expect(page.getByTestId("entity-name")).toHaveText("Developers");
  await page.getByRole("tab", { name: "Permissions" }).click();
  await expect(permissionsRow(page, "IAMReadOnlyAccess")).toContainText("AWS managed");
});

test("a user is created in the group with its own policy and tag, and a duplicate name is refused", async ({ page }) => {
  await signIn(page);
  await open(page, "/users");
  await page.getByTestId("create-user").click();
  await expect(page).toHaveURL(/\/new\/user$/);
  await hydrated(page);

  await page.getByLabel("User name").fill("alice");
  await page.getByRole("checkbox", { name: "Developers" }).check();
  await expect(page.getByTestId("chosen-groups")).toHaveText("Chosen: Developers");
  await page.getByLabel("Filter policies by name").fill("ChangePassword");
  await page.getByRole("checkbox", { name: "IAMUserChangePassword" }).check();
  await page.getByRole("button", { name: "Add tag" }).click();
  await page.getByLabel("Tag key").fill("team");
  await page.getByLabel("Tag value").fill("blue");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page).toHaveURL(/\/users\/alice$/);
  await expect(page.getByTestId("entity-arn")).toHaveText(/^arn:aws:iam::\d{12}:user\/alice$/);

  // Every permission says where it comes from.
  await expect(permissionsRow(page, "IAMUserChangePassword")).toContainText("Attached directly");
  await expect(permissionsRow(page, "IAMReadOnlyAccess")).toContainText("Group Developers");
  await permissionsRow(page, "IAMReadOnlyAccess").getByRole("button", { name: /IAMReadOnlyAccess/ }).click();
  await expect(page.getByText('"iam:Get*"').first()).toBeVisible();

  // Names are unique ignoring case: nothing is created, and the message sits by the name.
  await open(page, "/new/user");
  await page.getByLabel("User name").fill("ALICE");
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.locator("#field-UserName-error")).toHaveText("User with name ALICE already exists.");
  await expect(page).toHaveURL(/\/new\/user$/);

  // A name and a path that break AWS's limits are refused in the browser by the server's own
  // rules, both named at once, and no request is made.
  let createCalls = 0;
  page.on("request", (request) => {
    if (request.url().includes("users/create_user")) createCalls += 1;
  });
  await page.getByLabel("User name").fill("");
  await page.getByLabel("Path (optional)").fill("/" + "p".repeat(512));
  await page.getByRole("button", { name: "Create user" }).click();
  await expect(page.locator("#field-UserName-error")).toHaveText(
    "2 validation errors detected: Value at 'userName' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
      "Value at 'path' failed to satisfy constraint: Member must have length less than or equal to 512",
  );
  expect(createCalls).toBe(0);
});

test("managed policies are attached and detached, inline policies validated as typed", async ({ page }) => {
  await signIn(page);
  await open(page, "/users/alice");

  await page.getByTestId("attach-policies").click();
  await page.getByLabel("Filter policies by name").fill("PowerUser");
  await page.getByRole("button", { name: "Attach PowerUserAccess" }).click();
  await expect(permissionsRow(page, "PowerUserAccess")).toContainText("Attached directly");

  await permissionsRow(page, "PowerUserAccess").getByRole("button", { name: "Detach" }).click();
  await permissionsRow(page, "PowerUserAccess").getByRole("button", { name: "Detach" }).click();
  await expect(permissionsRow(page, "PowerUserAccess")).toHaveCount(0);

  await page.getByTestId("create-inline-policy").click();
  await page.getByLabel("Policy name").fill("s3-read");
  const editor = page.getByLabel("Policy document");
  const save = page.getByRole("button", { name: "Save policy" });
  await editor.fill('{"Version": "2012-10-17", "Statement": [');
  await expect(page.locator("#field-PolicyDocument-error")).toContainText("MalformedPolicyDocument");
  await expect(page.locator("#field-PolicyDocument-error")).toContainText(/Line 1, column \d+/);
  await expect(save).toBeDisabled();
  await editor.fill(
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::reports/*" }],
    }),
  );
  await expect(page.locator("#field-PolicyDocument-error")).toHaveText("");
  await expect(save).toBeEnabled();
  await save.click();
  await expect(permissionsRow(page, "s3-read")).toContainText("Inline");
});

test("tags are listed, added and removed; groups are listed", async ({ page }) => {
  await signIn(page);
  await open(page, "/users/alice");
  await page.getByRole("tab", { name: "Groups" }).click();
  await expect(page.getByRole("link", { name: "Developers" })).toBeVisible();

  await page.getByRole("tab", { name: "Tags" }).click();
  const tags = page.getByRole("tabpanel").filter({ hasText: "Tags (" });
  await expect(tags.getByRole("row", { name: /team/ })).toContainText("blue");
  await tags.getByLabel("Key").fill("env");
  await tags.getByLabel("Value (optional)").fill("prod");
  await tags.getByRole("button", { name: "Add tag" }).click();
  await expect(tags.getByRole("row", { name: /env/ })).toContainText("prod");
  await tags.getByRole("button", { name: "Remove tag team" }).click();
  await expect(tags.getByRole("row", { name: /team/ })).toHaveCount(0);
  await expect(page.getByRole("heading", { name: "Tags (1)" })).toBeVisible();
});

test("a role is created from the another-account template", async ({ page }) => {
  await signIn(page);
  await open(page, "/roles");
  await page.getByTestId("create-role").click();
  await expect(page).toHaveURL(/\/new\/role$/);
  await hydrated(page);

  await page.getByRole("radio", { name: /Another AWS account/ }).check();
  await page.getByLabel("Account ID").fill("12345");
  await expect(page.locator("#field-TrustedAccountId-error")).toHaveText("The account ID must be exactly 12 digits.");
  await expect(page.getByRole("button", { name: "Create role" })).toBeDisabled();
  await page.getByLabel("Account ID").fill("210987654321");
  await expect(page.getByTestId("trust-preview")).toContainText("arn:aws:iam::210987654321:root");

  await page.getByLabel("Role name").fill("deployer");
  await page.getByLabel("Maximum session duration").selectOption({ label: "2 hours" });
  await page.getByRole("button", { name: "Create role" }).click();
  await expect(page).toHaveURL(/\/roles\/deployer$/);
  await expect(page.getByTestId("role-max-session")).toHaveText("2 hours");
  await page.getByRole("tab", { name: "Trust relationships" }).click();
  await expect(page.getByTestId("trust-policy")).toContainText("arn:aws:iam::210987654321:root");
});

test("the users list searches by name prefix", async ({ page }) => {
  await signIn(page);
  await open(page, "/users");
  await page.getByLabel("Search users").fill("ALI");
  await expect(page.getByRole("link", { name: "alice" })).toBeVisible();
  await page.getByLabel("Search users").fill("zz");
  await expect(page.getByText("No user name starts with that.")).toBeVisible();
  await expect(page.getByRole("link", { name: "alice" })).toHaveCount(0);
});

test("deleting a user asks for its name, then returns to the list", async ({ page }) => {
  await signIn(page);
  await open(page, "/users/alice");
  await page.getByTestId("delete-user").click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText("Delete user alice?");
  const confirm = dialog.getByRole("button", { name: "Delete" });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type the name to confirm").fill("alic");
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel("Type the name to confirm").fill("alice");
  await confirm.click();
  await expect(page).toHaveURL(/\/users$/);
  await expect(page.getByRole("link", { name: "alice" })).toHaveCount(0);
  await expect(page.getByText("No users yet.")).toBeVisible();
});
