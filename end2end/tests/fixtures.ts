// The `test` every spec uses: Playwright's, with a page that fails its test when the page threw
// an uncaught error — a panic in the wasm (while hydrating or later) shows up here even when
// the page still looks right.
import { expect, Page, test as base } from "@playwright/test";

export { expect } from "@playwright/test";
export type { Browser, Page } from "@playwright/test";

export const test = base.extend({
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await use(page);
    expect(errors, "uncaught errors in the page").toEqual([]);
  },
});

/** Waits until the browser has hydrated the page (the app marks `<body>` then). */
export async function hydrated(page: Page) {
  await page.waitForSelector("body[data-hydrated]");
}

/** Fills the root user's sign-in form on the current page and submits it. */
export async function submitRootSignIn(page: Page, email: string, password: string) {
  await page.getByLabel("Root user email address").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}
