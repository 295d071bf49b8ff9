// The browser loads a page's code when it needs it: the sign-in page brings the shared module and
// the sign-in pages' module, not the console's; the console brings each area's module the first
// time one of its pages opens, whether by a full page load (before hydrating it) or by a click.
// Every piece of code arrives as the brotli copy the release build wrote beside it.
// Runs on the split release bundle `make test` builds (every working bundle is split).
import { createAccount } from "./accounts";
import { expect, hydrated, Page, submitRootSignIn, test } from "./fixtures";

const rootEmail = "e2e-code-loading@example.com";
const rootPassword = "code loading journey root password";

test.describe.configure({ mode: "serial" });

test.beforeAll(() => {
  createAccount(rootEmail, rootPassword);
});

/** The page modules (`split_<area>_pages_<hash>.wasm`) the page has requested so far, by area. */
function recordModules(page: Page): Set<string> {
  const areas = new Set<string>();
  page.on("request", (request) => {
    const match = /\/pkg\/split_([a-z_]+)_pages_\d+\.wasm$/.exec(request.url());
    if (match) areas.add(match[1]);
  });
  return areas;
}

/** The Content-Encoding of every script and module the page has received, by file. */
function recordEncodings(page: Page): Map<string, string> {
  const encodings = new Map<string, string>();
  page.on("response", async (response) => {
    const match = /\/pkg\/([^/]+\.(?:wasm|js))$/.exec(response.url());
    if (match) encodings.set(match[1], (await response.allHeaders())["content-encoding"] ?? "none");
  });
  return encodings;
}

test("each area's code loads when one of its pages first opens", async ({ page, request }) => {
  const manifest = await request.get("/pkg/__wasm_split_manifest.json");
  expect(manifest.ok(), "the browser bundle is split").toBe(true);

  const areas = recordModules(page);
  await page.goto("/signin");
  await hydrated(page);
  expect([...areas]).toEqual(["sign_in"]);

  await submitRootSignIn(page, rootEmail, rootPassword);
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { name: "IAM dashboard" })).toBeVisible();
  expect([...areas].sort()).toEqual(["account", "sign_in"]);

  // A click within the console: same document, the entities' module arrives with the page.
  await page.evaluate(() => ((window as unknown as { sameDocument: boolean }).sameDocument = true));
  await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Users" }).click();
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(true);
  expect([...areas].sort()).toEqual(["account", "entity", "sign_in"]);

  // A full load of a policy page hydrates with the policies' module only (and works).
  areas.clear();
  await page.goto("/policies");
  await hydrated(page);
  expect([...areas]).toEqual(["policy"]);
  await page.getByRole("button", { name: "Create policy" }).click();
  await expect(page).toHaveURL(/\/policies\/new$/);
  expect([...areas]).toEqual(["policy"]);
});

test("the browser receives its code as the build's brotli copies", async ({ page, request }) => {
  const precompressed = await request.get("/pkg/ferriam.wasm.br");
  test.skip(!precompressed.ok(), "debug builds are not precompressed");

  const encodings = recordEncodings(page);
  await page.goto("/signin");
  await hydrated(page);
  await submitRootSignIn(page, rootEmail, rootPassword);
  await expect(page.getByRole("heading", { name: "IAM dashboard" })).toBeVisible();

  expect(encodings.get("ferriam.wasm")).toBe("br");
  expect(encodings.get("ferriam.js")).toBe("br");
  const notBrotli = [...encodings].filter(([, encoding]) => encoding !== "br");
  expect(notBrotli).toEqual([]);
});
