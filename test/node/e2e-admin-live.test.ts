// The admin console stays current without a reload, at desktop and phone width: when a training and a
// backfill finish, the ProgressHub events (built and parsed with the contract's own schema, so they
// cannot drift) settle the jobs' rows, swap in the profile's new model version and flip the profile's
// "no data" within moments; with the socket down, the poll fallback does the same. The jobs list holds
// the newest page and pages older jobs on "Show older". Runs web/dist against a stateful mocked /api.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backend, event } from "../e2e/admin-live-fixture";
import { mockApi } from "../e2e/mock-api";
import { serveBuiltApp } from "../e2e/static-server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SHOTS = path.join(ROOT, ".tmp/screens");
const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
];

async function openConsole(browser: Browser, viewport: { width: number; height: number }) {
  const page = await browser.newPage({ viewport });
  await page.addInitScript(() => {
    localStorage.setItem("mm.admin.token", "admin-token");
    localStorage.setItem("mm.admin", JSON.stringify({ id: 1, email: "ops@desk.example", name: "Ops" }));
  });
  return page;
}

const jobRow = (page: Page, id: number) => page.locator("li.job", { hasText: `#${id}` });
const profileRow = (page: Page, symbol: string) =>
  page.locator("tr", { has: page.getByRole("checkbox", { name: `Select ${symbol}` }) });
const modelRows = (page: Page) => page.locator("table.table--models tbody tr");

async function expectSettled(page: Page, within: number) {
  await expect
    .poll(() => jobRow(page, 125).locator(".status").textContent(), { timeout: within })
    .toBe("succeeded");
  await expect
    .poll(() => jobRow(page, 124).locator(".status").textContent(), { timeout: within })
    .toBe("succeeded");
  await expect.poll(() => modelRows(page).first().textContent(), { timeout: within }).toMatch(/v2.*active/);
  await expect
    .poll(() => profileRow(page, "SOLUSDT").textContent(), { timeout: within })
    .toContain("has data");
}

/** The whole page, and the jobs' and models' cards on their own (a phone's full page is a long strip). */
async function shots(page: Page, name: string) {
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
  // The jobs card's top just below the fixed navigation bar.
  await page.evaluate(() => {
    const top = document.querySelector(".admin-jobs")!.getBoundingClientRect().top;
    window.scrollTo(0, top + window.scrollY - 64);
  });
  await page.screenshot({ path: path.join(SHOTS, `${name}-jobs.png`) });
  await page.locator(".admin-models").screenshot({ path: path.join(SHOTS, `${name}-models.png`) });
  // Every model's figures fit the card at any width: on a phone the rows become labelled cards.
  const overflow = await page
    .locator(".admin-models .table-scroll")
    .evaluate((el) => el.scrollWidth - el.clientWidth);
  expect(overflow).toBeLessThanOrEqual(1);
  // A model's folds open in a full-width row below it, not squeezed into their cell.
  const toggle = page.locator(".admin-models .link-toggle").first();
  await toggle.click();
  const widths = await page.locator(".admin-models").evaluate((card) => ({
    card: card.getBoundingClientRect().width,
    folds: card.querySelector(".table--folds")?.getBoundingClientRect().width ?? 0,
    overflow:
      card.querySelector(".table-scroll")!.scrollWidth - card.querySelector(".table-scroll")!.clientWidth,
  }));
  await page.locator(".admin-models").screenshot({ path: path.join(SHOTS, `${name}-folds.png`) });
  expect(widths.folds).toBeGreaterThan(0);
  expect(widths.overflow).toBeLessThanOrEqual(1);
  if (page.viewportSize()!.width >= 1000) expect(widths.folds).toBeGreaterThan(widths.card / 3);
  await toggle.click();
}

let browser: Browser;
let close: (() => Promise<void>) | undefined;
let origin: string;

describe("admin console stays current", () => {
  beforeAll(async () => {
    ({ origin, browser, close } = await serveBuiltApp());
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(() => close?.());

  it.each(VIEWPORTS)(
    "settles finished jobs from the WebSocket events and pages older jobs ($name)",
    async (vp) => {
      const db = backend();
      const log: string[] = [];
      const page = await openConsole(browser, vp);
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const sockets = (await mockApi(page, db, { log })).adminSockets;
      await page.goto(`${origin}/admin`);
      await jobRow(page, 125).waitFor();
      await expect.poll(() => page.locator(".live").textContent()).toContain("Live");
      // The newest page only, then the older jobs on request.
      await expect.poll(() => page.locator("li.job").count()).toBe(10);
      await page.getByRole("button", { name: "Show older" }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(SHOTS, `admin-live-older-${vp.name}.png`) });
      await page.getByRole("button", { name: "Show older" }).click();
      await expect.poll(() => page.locator("li.job").count()).toBe(20);
      await page.getByRole("button", { name: "Show older" }).click();
      await expect.poll(() => page.locator("li.job").count()).toBe(25);
      await expect(page.getByRole("button", { name: "Show older" }).count()).resolves.toBe(0);
      expect(log).toContain("GET /api/admin/jobs?limit=10&before=116");
      expect(log).toContain("GET /api/admin/jobs?limit=10&before=106");
      expect(await profileRow(page, "SOLUSDT").textContent()).toContain("no data");
      expect(await modelRows(page).first().textContent()).toMatch(/v1.*active/);

      const loads = log.filter((l) => l.startsWith("GET /api/admin/models")).length;
      db.finish();
      const ws = sockets[0];
      ws.send(
        JSON.stringify(
          event({
            type: "model_training_progress",
            job_id: 125,
            profile_id: 1,
            symbol: "BTCUSDT",
            progress: 1,
            message: "arima v2 active",
            status: "succeeded",
          }),
        ),
      );
      ws.send(
        JSON.stringify(
          event({
            type: "data_collection_progress",
            job_id: 124,
            profile_id: 2,
            symbol: "SOLUSDT",
            progress: 1,
            message: "done: 43200 candles stored",
            status: "succeeded",
          }),
        ),
      );
      // Well before the next poll (15 s while live): the events alone settle every row they touched.
      await expectSettled(page, 3_000);
      expect(log).toContain("GET /api/admin/models?profile_id=1");
      expect(log.filter((l) => l.startsWith("GET /api/admin/models")).length).toBe(loads + 1);
      expect(await page.locator("li.job").count()).toBe(25); // the older pages stay shown
      await shots(page, `admin-live-${vp.name}`);
      expect(errors).toEqual([]);
      await page.close();
    },
    60_000,
  );

  it.each(VIEWPORTS)(
    "settles them from the poll fallback while the socket is down ($name)",
    async (vp) => {
      const db = backend();
      const log: string[] = [];
      const page = await openConsole(browser, vp);
      await mockApi(page, db, { log, adminSocketUp: false });
      await page.goto(`${origin}/admin`);
      await jobRow(page, 125).waitFor();
      await expect.poll(() => page.locator(".live").textContent()).toContain("Polling");
      await expect.poll(() => modelRows(page).first().textContent()).toMatch(/v1.*active/);
      db.finish();
      await expectSettled(page, 10_000); // the offline poll runs every 4 s
      expect(log).toContain("GET /api/admin/models?profile_id=1");
      await shots(page, `admin-live-poll-${vp.name}`);
      await page.close();
    },
    60_000,
  );

  it("lists an open job older than the newest page (a retried old job) without paging", async () => {
    const db = backend();
    Object.assign(db.jobs.find((j) => j.id === 103)!, {
      status: "queued",
      progress: 0,
      message: "queued again",
    });
    const log: string[] = [];
    const page = await openConsole(browser, VIEWPORTS[0]);
    await mockApi(page, db, { log });
    await page.goto(`${origin}/admin`);
    await jobRow(page, 125).waitFor();
    await expect.poll(() => page.locator("li.job").count()).toBe(11); // the newest 10 and #103
    expect(await jobRow(page, 103).textContent()).toContain("queued");
    expect(log).toContain("GET /api/admin/jobs?limit=500&status=queued");
    // Paging goes on from the newest page, not from the open job listed further back.
    await page.getByRole("button", { name: "Show older" }).click();
    await expect.poll(() => page.locator("li.job").count()).toBe(21); // 125..106 and #103
    expect(log).toContain("GET /api/admin/jobs?limit=10&before=116");
    await page.close();
  }, 60_000);
});
