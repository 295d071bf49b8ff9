// Hostile text in every field that accepts it — role and policy descriptions, trust and
// permission policies' condition values, tag values — viewed on every page that shows it: the
// text is shown as text, nothing runs (no dialog, `window.__xss` stays undefined, no injected
// element appears), and the page's Content-Security-Policy refuses inline script even when it
// reaches the DOM.
//
// The account is created headlessly (sign-up is closed by then); the hostile entities are
// created through the console's own server functions, signed in as its root user.
import { createAccount } from "./accounts";
import { expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";

const email = "e2e-xss@example.com";
const password = "hostile text journey password";
const script = "<script>window.__xss=1</script>";
const img = `"><img src=x onerror="window.__xss=1">`;
const link = "javascript:alert(1)";
const svg = "<svg onload=window.__xss=1>";
const payload = `${script} ${img} ${link} ${svg}`;
const role = "xss-role";
const policy = "xss-policy";

let accountId = "";

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  accountId = createAccount(email, password).AccountId;
});

/// A document whose condition values carry every payload.
function hostileDocument(principal?: object): string {
  return JSON.stringify(
    {
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          ...(principal ? { Principal: principal, Action: "sts:AssumeRole" } : { Action: "s3:GetObject", Resource: "*" }),
          Condition: { StringEquals: { "aws:PrincipalTag/note": [script, img, link, svg] } },
        },
      ],
    },
    null,
    2,
  );
}

/// Fails the test on any dialog, and remembers it.
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = [];
  page.on("dialog", async (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  return dialogs;
}

async function signIn(page: Page) {
  await page.goto("/signin");
  await hydrated(page);
  await submitRootSignIn(page, email, password);
  await expect(page).toHaveURL(/\/$/);
}

/// Nothing the payloads carry became live: no global set, no injected element, no dialog.
async function assertInert(page: Page, dialogs: string[], where: string) {
  // Give any injected handler (an image error, an svg load) the chance to fire.
  await page.waitForTimeout(300);
  expect(await page.evaluate(() => (window as any).__xss), `window.__xss on ${where}`).toBeUndefined();
  await expect(page.locator('img[src="x"]'), `an injected <img> on ${where}`).toHaveCount(0);
  await expect(page.locator("svg[onload]"), `an injected <svg> on ${where}`).toHaveCount(0);
  await expect(page.locator('[href^="javascript:" i]'), `a javascript: link on ${where}`).toHaveCount(0);
  await expect(page.locator("script:not([src])").filter({ hasText: "__xss" }), `an injected <script> on ${where}`).toHaveCount(0);
  expect(dialogs, `dialogs on ${where}`).toEqual([]);
}

async function openTab(page: Page, name: string) {
  await page.getByRole("tab", { name, exact: true }).click();
  await expect(page.getByRole("tab", { name, exact: true })).toHaveAttribute("aria-selected", "true");
}

test("hostile text is saved through the console's own endpoints", async ({ page }) => {
  await signIn(page);
  const created = await page.request.post("/api/roles/create_role", {
    data: {
      role: {
        role_name: role,
        path: "",
        description: payload,
        max_session_duration: 3600,
        trust: { Custom: { document: hostileDocument({ AWS: `arn:aws:iam::${accountId}:root` }) } },
        policy_arns: [],
        tags: [{ key: "note", value: "javascript:alert" }],
        permissions_boundary: null,
      },
    },
  });
  expect(created.status(), await created.text()).toBe(200);
  const inline = await page.request.post("/api/entities/put_inline_policy", {
    data: { kind: "Role", name: role, policy_name: "xss-inline", document: hostileDocument() },
  });
  expect(inline.status(), await inline.text()).toBe(200);
  const managed = await page.request.post("/api/policies/create", {
    form: { policy_name: policy, description: payload, document: hostileDocument() },
  });
  expect(managed.ok(), await managed.text()).toBe(true);
  const attached = await page.request.post("/api/entities/attach_policy", {
    data: { kind: "Role", name: role, policy_arn: `arn:aws:iam::${accountId}:policy/${policy}` },
  });
  expect(attached.status(), await attached.text()).toBe(200);
});

test("roles: the list, the summary, permissions, trust and tags show the text and run nothing", async ({ page }) => {
  const dialogs = watchDialogs(page);
  await signIn(page);

  await page.goto("/roles");
  await hydrated(page);
  await expect(page.getByRole("row", { name: new RegExp(role) })).toContainText(payload);
  await assertInert(page, dialogs, "the roles list");

  await page.goto(`/roles/${role}`);
  await hydrated(page);
  await expect(page.getByTestId("role-description")).toHaveText(payload);
  await assertInert(page, dialogs, "the role summary");

  const permissions = page.getByTestId("permissions-table");
  for (const name of ["xss-inline", policy]) {
    await permissions.getByRole("button", { name: new RegExp(name) }).click();
  }
  await expect(permissions.locator("pre")).toHaveCount(2);
  for (const pre of await permissions.locator("pre").all()) {
    await expect(pre).toContainText(script);
    await expect(pre).toContainText(svg);
  }
  await assertInert(page, dialogs, "the role's permissions");

  await openTab(page, "Trust relationships");
  await expect(page.getByTestId("trust-policy")).toContainText(script);
  await expect(page.getByTestId("trust-policy")).toContainText(svg);
  await assertInert(page, dialogs, "the role's trust policy");

  await openTab(page, "Tags");
  await expect(page.getByText("javascript:alert", { exact: true })).toBeVisible();
  await assertInert(page, dialogs, "the role's tags");
});

test("policies: the list, the summary, versions, the editor and a new draft run nothing", async ({ page }) => {
  const dialogs = watchDialogs(page);
  await signIn(page);

  await page.goto("/policies");
  await hydrated(page);
  await expect(page.getByRole("row", { name: new RegExp(policy) })).toContainText(payload);
  await assertInert(page, dialogs, "the policies list");

  const arn = `arn:aws:iam::${accountId}:policy/${policy}`;
  await page.goto(`/policies/details?arn=${encodeURIComponent(arn)}`);
  await hydrated(page);
  await expect(page.getByTestId("policy-description")).toHaveText(payload);
  await assertInert(page, dialogs, "the policy summary");

  await openTab(page, "Versions");
  await page.getByTestId("version-row").first().getByRole("button").first().click();
  await expect(page.getByTestId("version-document")).toContainText(script);
  await expect(page.getByTestId("version-document")).toContainText(svg);
  await assertInert(page, dialogs, "the policy's versions");

  await openTab(page, "Edit");
  const editor = page.locator("textarea").first();
  await expect(editor).toHaveValue(new RegExp(svg));
  await assertInert(page, dialogs, "the policy editor");

  // A draft typed into the create form: live validation renders its findings beside it.
  await page.goto("/policies/new");
  await hydrated(page);
  await page.getByLabel("Description (optional)").fill(payload);
  await page.locator("#policy-editor-document").fill(hostileDocument().replace('"Allow"', `"${svg}"`));
  await expect(page.getByTestId("policy-error")).toBeVisible();
  await assertInert(page, dialogs, "the policy create form");
});

test("the Content-Security-Policy refuses inline script that reaches the DOM", async ({ page }) => {
  const dialogs = watchDialogs(page);
  await signIn(page);
  const response = await page.goto(`/roles/${role}`);
  await hydrated(page);
  const csp = response!.headers()["content-security-policy"];
  expect(csp).toMatch(/script-src 'self' 'nonce-[^']+' 'wasm-unsafe-eval'/);
  expect(csp).not.toContain("unsafe-inline");

  const inject = async () => {
    const element = document.createElement("script");
    element.textContent = "window.__xss = 1";
    document.body.appendChild(element);
    const image = document.createElement("img");
    image.setAttribute("onerror", "window.__xss = 2");
    image.src = "data:,not-an-image";
    document.body.appendChild(image);
    const anchor = document.createElement("a");
    anchor.href = "javascript:window.__xss = 3";
    document.body.appendChild(anchor);
    anchor.click();
    await new Promise((resolve) => setTimeout(resolve, 300));
    return (window as any).__xss;
  };
  const ran = await page.evaluate(inject);
  expect(ran, "inline script, inline handlers and javascript: URLs are blocked").toBeUndefined();
  expect(dialogs).toEqual([]);

  // The control: the same injection on a page without the policy does run, so the check above
  // can fail.
  await page.goto("about:blank");
  expect(await page.evaluate(inject)).toBeDefined();
});
