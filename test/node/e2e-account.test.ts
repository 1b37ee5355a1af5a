// A new user's account journey in a real browser against `wrangler dev`, at desktop and phone width:
// the password rule is on screen before the first submit, weak passwords are refused with the rule, and
// changing the password keeps this browser signed in (the answer's fresh token replaces the revoked one).
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/chromium";
import { type LocalStack, STACK_HOOK_MS, startLocalStack } from "../helpers/local-stack";
import { realKlineFile } from "../helpers/real-data";

const SHOTS = path.resolve(import.meta.dirname, "../../.tmp/screens");
const RULE =
  "Passwords need 8 to 128 characters, not one of the most common passwords, and not your email address.";
const VIEWPORTS = [
  { name: "desktop", width: 1280, height: 800 },
  { name: "phone", width: 390, height: 844 },
];
let stack: LocalStack;
let browser: Browser;

const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

describe("account journey in a browser", () => {
  beforeAll(async () => {
    stack = await startLocalStack({
      files: [realKlineFile("BTCUSDT")],
      nowAt: "2024-03-10T23:59:00Z",
    });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, STACK_HOOK_MS);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it.each(VIEWPORTS)(
    "shows the rule, refuses weak passwords, and keeps the session across a password change ($name)",
    async ({ name, width, height }) => {
      const page = await browser.newPage({ viewport: { width, height } });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      // The refused submits log the browser's own "Failed to load resource" line: that is expected.
      page.on(
        "console",
        (m) => m.type() === "error" && !/status of 400/.test(m.text()) && errors.push(m.text()),
      );
      const email = `journey-${name}@example.com`;

      await page.goto(`${stack.url}/auth?tab=signup`);
      await page.getByText(RULE).waitFor();
      await page.getByLabel("Email").fill(email);
      await page.getByLabel("Password", { exact: true }).fill("12345678");
      await page.getByLabel("Confirm password").fill("12345678");
      await page.getByRole("button", { name: "Create account" }).click();
      const refused = page.getByRole("alert").filter({ hasText: "most common passwords" });
      await refused.waitFor({ timeout: 15_000 });
      await shot(page, `e2e-signup-weak-${name}`);
      expect(page.url()).toMatch(/\/auth\?tab=signup$/);

      await page.getByLabel("Password", { exact: true }).fill("first pass phrase");
      await page.getByLabel("Confirm password").fill("first pass phrase");
      await page.getByRole("button", { name: "Create account" }).click();
      await page.waitForURL(/\/dashboard$/, { timeout: 15_000 });
      const before = await page.evaluate(() => localStorage.getItem("mm.user.token"));

      await page.goto(`${stack.url}/profile`);
      const pw = page.getByRole("region", { name: "Password" });
      await pw.getByText(RULE).waitFor();
      await pw.getByLabel("Current password", { exact: true }).fill("first pass phrase");
      await pw.getByLabel("New password", { exact: true }).fill("iloveyou1");
      await pw.getByLabel("Confirm new password").fill("iloveyou1");
      await pw.getByRole("button", { name: "Change password" }).click();
      await pw.getByText("most common passwords").first().waitFor({ timeout: 15_000 });

      await pw.getByLabel("New password", { exact: true }).fill("second pass phrase");
      await pw.getByLabel("Confirm new password").fill("second pass phrase");
      await pw.getByRole("button", { name: "Change password" }).click();
      await pw.getByText("Password changed.").waitFor({ timeout: 15_000 });
      await shot(page, `e2e-password-changed-${name}`);
      const after = await page.evaluate(() => localStorage.getItem("mm.user.token"));
      expect(after).not.toBe(before);

      // The next clicks still work: the dashboard loads its data instead of landing on sign-in.
      await page.getByRole("link", { name: "Dashboard" }).click();
      await page.getByRole("heading", { name: "No instruments yet" }).waitFor({ timeout: 15_000 });
      await page.reload();
      await page.getByRole("heading", { name: "No instruments yet" }).waitFor({ timeout: 15_000 });
      expect(page.url()).toMatch(/\/dashboard$/);
      await shot(page, `e2e-after-password-change-${name}`);

      // The old token is revoked; the stored one is the fresh, working one.
      expect((await stack.api("GET", "/api/auth/me", before!)).status).toBe(401);
      expect((await stack.api("GET", "/api/auth/me", after!)).json.user.email).toBe(email);
      expect(errors).toEqual([]);
    },
    120_000,
  );
});
