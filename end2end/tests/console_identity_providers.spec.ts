// Identity providers in the console: add an OpenID Connect provider, give it a second audience,
// create a role that trusts it ("Web identity": the trust policy AWS's console writes), and
// delete the provider by typing its URL.
import { createAccount } from "./accounts";
import { expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";

const email = "e2e-idp@example.com";
const password = "identity providers need a root user";
const url = "https://token.example.com/org";

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  createAccount(email, password);
});

async function signIn(page: Page) {
  await page.goto("/signin");
  await hydrated(page);
  await submitRootSignIn(page, email, password);
  await expect(page).toHaveURL(/\/$/);
}

test("a provider is added, given another audience, trusted by a role and deleted", async ({ page }) => {
  await signIn(page);
  await page.getByRole("link", { name: "Identity providers" }).click();
  await expect(page).toHaveURL(/\/identity-providers$/);
  await hydrated(page);
  await expect(page.getByText("No identity providers yet.")).toBeVisible();

  // A bad URL is refused in AWS's words, next to the field.
  await page.getByTestId("add-provider").click();
  await page.getByLabel("Provider URL").fill("http://token.example.com");
  await page.getByLabel("Audiences").fill("sts.amazonaws.com");
  await page.getByRole("button", { name: "Add provider" }).last().click();
  await expect(page.getByText("The URL must begin with https://.")).toBeVisible();

  await page.getByLabel("Provider URL").fill(url);
  await page.getByRole("button", { name: "Add provider" }).last().click();
  await expect(page).toHaveURL(/\/identity-providers\/details\?arn=/);
  await hydrated(page);
  await expect(page.getByTestId("provider-url")).toHaveText("token.example.com/org");
  await expect(page.getByTestId("audiences")).toContainText("sts.amazonaws.com");

  await page.getByTestId("new-audience").fill("ci-runner");
  await page.getByRole("button", { name: "Add audience" }).click();
  await expect(page.getByTestId("audiences")).toContainText("ci-runner");
  await page.screenshot({ path: "test-results/identity-provider.png", fullPage: true });

  // A role trusting it, through the create page's "Web identity" choice.
  await page.goto("/new/role");
  await hydrated(page);
  await page.getByText("Web identity", { exact: true }).click();
  await page.getByLabel("Audience").selectOption("ci-runner");
  await page.getByLabel("Subject (optional)").fill("repo:acme/app:ref:refs/heads/main");
  const preview = page.getByTestId("trust-preview");
  await expect(preview).toContainText('"Federated": "arn:aws:iam::');
  await expect(preview).toContainText('"token.example.com/org:aud": "ci-runner"');
  await expect(preview).toContainText('"token.example.com/org:sub": "repo:acme/app:ref:refs/heads/main"');
  await page.screenshot({ path: "test-results/web-identity-role.png", fullPage: true });
  await page.getByLabel("Role name").fill("ci-deployer");
  await page.getByRole("button", { name: "Create role" }).click();
  await expect(page).toHaveURL(/\/roles\/ci-deployer$/);

  // Delete the provider by typing its URL.
  await page.goto("/identity-providers");
  await hydrated(page);
  await page.getByRole("link", { name: "token.example.com/org" }).click();
  await hydrated(page);
  await page.getByTestId("delete-provider").click();
  await page.getByLabel("Type the name to confirm").fill("token.example.com/org");
  await page.getByRole("dialog").getByRole("button", { name: "Delete" }).click();
  await expect(page).toHaveURL(/\/identity-providers$/);
  await expect(page.getByText("No identity providers yet.")).toBeVisible();
});
