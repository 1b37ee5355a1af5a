// The admin console against the real local stack (wrangler dev, replay exchange, the trainer CLI), open
// at desktop and phone width at once and never reloaded: a backfill flips the profile from "no data" to
// "has data", and two ARIMA trainings show v1, then v2 active in the models table, each within moments
// of the job's end (the fallback poll runs every 15 s while the socket is up, and never re-reads models).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium } from "../helpers/chromium";
import { type LocalStack, STACK_HOOK_MS, startLocalStack } from "../helpers/local-stack";
import { realKlineFile } from "../helpers/real-data";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SHOTS = path.join(ROOT, ".tmp/screens");
const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
];
const SOON = 5_000; // well under the 15 s poll: only the events can be this quick
let stack: LocalStack;
let browser: Browser;

/** The trainer CLI until the queue is empty, as an admin's trainer would run it. */
function trainOnce(): Promise<string> {
  return new Promise((resolve, reject) => {
    const run = spawn("npx", ["tsx", "trainer/cli.ts", "--once", "--worker-id", "console-e2e"], {
      cwd: ROOT,
      env: { ...process.env, WORKER_URL: stack.url, TRAINER_TOKEN: stack.secrets.TRAINER_TOKEN },
    });
    let out = "";
    run.stdout.on("data", (d) => {
      out += d;
    });
    run.stderr.on("data", (d) => {
      out += d;
    });
    run.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(out))));
  });
}

const jobStatus = (page: Page, id: number) =>
  page
    .locator("li.job", { hasText: `#${id}` })
    .locator(".status")
    .textContent();
const profileRow = (page: Page) =>
  page.locator("tr", { has: page.getByRole("checkbox", { name: "Select BTCUSDT" }) }).textContent();
const models = (page: Page) => page.locator("table.table--models tbody tr").allTextContents();

describe("admin console against the local stack", () => {
  beforeAll(async () => {
    stack = await startLocalStack({ files: [realKlineFile("BTCUSDT")], nowAt: "2024-03-10T23:59:00Z" });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  }, STACK_HOOK_MS);
  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("follows a backfill and two trainings without a reload", { timeout: 300_000 }, async () => {
    const token = await stack.admin();
    const me = (
      await stack.api("POST", "/api/admin/auth/login", undefined, {
        email: "e2e-admin@example.com",
        password: "e2e admin password",
      })
    ).json.admin;
    const profile = (await stack.api("POST", "/api/admin/profiles", token, { symbol: "BTCUSDT" })).json;
    const pages: Page[] = [];
    for (const vp of VIEWPORTS) {
      const page = await browser.newPage({ viewport: { width: vp.width, height: vp.height } });
      await page.addInitScript(
        ({ token, me }) => {
          localStorage.setItem("mm.admin.token", token);
          localStorage.setItem("mm.admin", JSON.stringify(me));
        },
        { token, me },
      );
      await page.goto(`${stack.url}/admin`);
      await expect.poll(() => page.locator(".live").textContent(), { timeout: 15_000 }).toContain("Live");
      expect(await profileRow(page)).toContain("no data");
      await page.evaluate(() => Object.assign(window, { sameDocument: true }));
      pages.push(page);
    }

    const collect = await stack.api("POST", "/api/admin/collect", token, { symbols: ["BTCUSDT"], days: 20 });
    const backfill = collect.json.jobs[0].id;
    for (const page of pages) {
      await expect.poll(() => jobStatus(page, backfill), { timeout: 90_000 }).toBe("succeeded");
      await expect.poll(() => profileRow(page), { timeout: SOON }).toContain("has data");
    }

    for (const version of [1, 2]) {
      const queued = await stack.api("POST", "/api/admin/train-models", token, {
        profile_ids: [profile.id],
        model_types: ["arima"],
      });
      expect(queued.status).toBe(202);
      await trainOnce();
      for (const page of pages) {
        await expect.poll(() => jobStatus(page, queued.json.jobs[0].id), { timeout: SOON }).toBe("succeeded");
        await expect
          .poll(async () => (await models(page)).find((r) => r.includes(`v${version}`)), { timeout: SOON })
          .toMatch(/active/);
      }
    }
    for (const [i, page] of pages.entries()) {
      const rows = await models(page);
      expect(rows.find((r) => r.includes("v1"))).not.toMatch(/active/);
      expect(await page.evaluate(() => (window as unknown as { sameDocument?: boolean }).sameDocument)).toBe(
        true,
      );
      await page.locator(".admin-models").scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `admin-live-stack-${VIEWPORTS[i].name}.png`) });
    }
  });
});
