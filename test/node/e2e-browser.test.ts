// The first run a new operator goes through, in a real browser against `wrangler dev`: create the first
// admin with the bootstrap token, sign in as admin, sign up as a user and land on the dashboard.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/chromium";
import { type LocalStack, STACK_HOOK_MS, startLocalStack } from "../helpers/local-stack";
import { realKlineFile } from "../helpers/real-data";

const SHOTS = path.resolve(import.meta.dirname, "../../.tmp/screens");
let stack: LocalStack;
let browser: Browser;

describe("first run in a browser", () => {
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

  it("creates the first admin in /admin, then a user signs up and sees the dashboard", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));

    await page.goto(`${stack.url}/admin`);
    await page.getByRole("tab", { name: "First admin" }).click();
    await page.getByLabel("Name").fill("Operator");
    await page.getByLabel("Email").fill("operator@example.com");
    await page.getByLabel("Password", { exact: true }).fill("operator password");
    await page.getByLabel("Bootstrap token").fill(stack.secrets.ADMIN_BOOTSTRAP_TOKEN);
    await page.getByRole("button", { name: "Create the first admin" }).click();
    await page.getByText("operator@example.com").first().waitFor({ timeout: 15_000 });
    await page.screenshot({ path: path.join(SHOTS, "e2e-admin.png"), fullPage: true });

    // A second bootstrap is refused: registration is never open to the public.
    const again = await stack.api("POST", "/api/admin/auth/register", undefined, {
      email: "x@example.com",
      password: "whatever1",
      name: "X",
    });
    expect(again.status).toBe(401);

    const user = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await user.goto(`${stack.url}/auth`);
    await user.getByRole("tab", { name: "Sign up" }).click();
    await user.getByLabel("Email").fill("trader@example.com");
    await user.getByLabel("Password", { exact: true }).fill("trader password");
    await user.getByLabel("Confirm password").fill("trader password");
    await user.getByRole("button", { name: "Create account" }).click();
    await user.waitForURL(/\/dashboard$/, { timeout: 15_000 });
    await user.getByRole("heading", { name: "No instruments yet" }).waitFor({ timeout: 15_000 });
    await user.screenshot({ path: path.join(SHOTS, "e2e-dashboard-empty.png"), fullPage: true });
    expect(errors).toEqual([]);
  }, 120_000);
});
