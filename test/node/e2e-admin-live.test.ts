// The admin console stays current without a reload, at desktop and phone width: when a training and a
// backfill finish, the ProgressHub events (built and parsed with the contract's own schema, so they
// cannot drift) settle the jobs' rows, swap in the profile's new model version and flip the profile's
// "no data" within moments; with the socket down, the poll fallback does the same. The jobs list holds
// the newest page and pages older jobs on "Show older". Runs web/dist against a stateful mocked /api.
import { existsSync, mkdirSync } from "node:fs";
import type { Server } from "node:http";
import path from "node:path";
import { type Browser, chromium, type Page, type WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ProgressEvent } from "../../worker/contract/progress";
import { serveDist } from "../e2e/static-server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const DIST = path.join(ROOT, "web/dist");
const SHOTS = path.join(ROOT, ".tmp/screens");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const VIEWPORTS = [
  { name: "desktop", width: 1440, height: 900 },
  { name: "phone", width: 390, height: 844 },
];
const NOW = "2026-01-05T12:00:00.000Z";

/** The server's side of the story: rows the mocked routes answer from, changed by the test. */
function backend() {
  const profile = (id: number, symbol: string, has_data: boolean, models_trained: boolean) => ({
    id,
    symbol,
    name: symbol,
    profile_type: "crypto",
    exchange: "binance",
    has_data,
    models_trained,
    last_data_update: has_data ? NOW : null,
    created_at: NOW,
    updated_at: NOW,
    collection: { failing: false, failures: 0, last_error: null, last_error_at: null },
  });
  const job = (
    id: number,
    kind: "train" | "collect",
    status: string,
    progress: number,
    profile_id: number,
  ) => ({
    id,
    kind,
    status,
    progress,
    profile_id,
    symbol: profile_id === 1 ? "BTCUSDT" : "SOLUSDT",
    model_type: kind === "train" ? "arima" : null,
    params: null,
    message: null as string | null,
    error: null,
    attempts: 1,
    max_attempts: 3,
    created_at: NOW,
    started_at: NOW,
    finished_at: null as string | null,
    updated_at: NOW,
  });
  const model = (version: number, active: boolean) => ({
    id: version,
    profile_id: 1,
    symbol: "BTCUSDT",
    model_type: "arima",
    version,
    status: "ready",
    active,
    trained_at: NOW,
    trained_on: { timeframe: "1h", from: 1_700_000_000, to: 1_760_000_000 },
    parameters: { order: [1, 1, 0] },
    metrics: { timeframe: "1h", horizon: 1, n: 100, mae: 1, naive_mae: 1.1, skill: 0.09 },
  });
  const jobs = [job(125, "train", "running", 0.4, 1), job(124, "collect", "running", 0.6, 2)];
  for (let id = 123; id >= 101; id--) jobs.push(job(id, id % 2 ? "train" : "collect", "succeeded", 1, 1));
  return {
    profiles: [profile(1, "BTCUSDT", true, true), profile(2, "SOLUSDT", false, false)],
    jobs,
    models: [model(1, true)],
    /** Both jobs finish: arima v2 becomes active, SOLUSDT has its candles. */
    finish() {
      Object.assign(jobs[0], {
        status: "succeeded",
        progress: 1,
        message: "arima v2 active",
        finished_at: NOW,
      });
      Object.assign(jobs[1], { status: "succeeded", progress: 1, message: "done: 43200 candles stored" });
      this.models = [model(2, true), { ...model(1, false), status: "retired" }];
      Object.assign(this.profiles[1], { has_data: true, last_data_update: NOW });
    },
  };
}

type Backend = ReturnType<typeof backend>;

async function mockAdmin(page: Page, db: Backend, log: string[], socketUp: boolean) {
  const sockets: WebSocketRoute[] = [];
  await page.route("**/api/**", (route) => {
    const url = new URL(route.request().url());
    const p = url.pathname;
    log.push(`${route.request().method()} ${p}${url.search}`);
    const json = (body: unknown) =>
      route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(body) });
    if (p === "/api/admin/profiles") return json(db.profiles);
    if (p === "/api/admin/trainers") return json([]);
    if (p === "/api/admin/ws/ticket") return json({ ticket: "t" });
    if (p === "/api/admin/models") {
      const id = url.searchParams.get("profile_id");
      return json(db.models.filter((m) => id === null || m.profile_id === Number(id)));
    }
    if (p === "/api/admin/jobs") {
      const limit = Number(url.searchParams.get("limit") ?? 100);
      const before = Number(url.searchParams.get("before") ?? Number.POSITIVE_INFINITY);
      return json(db.jobs.filter((j) => j.id < before).slice(0, limit));
    }
    const one = p.match(/^\/api\/admin\/jobs\/(\d+)$/);
    if (one) return json(db.jobs.find((j) => j.id === Number(one[1])));
    return route.fulfill({ status: 404, body: '{"error":{"code":"not_found","message":"no route"}}' });
  });
  await page.routeWebSocket("**/api/admin/ws**", (ws) => {
    if (!socketUp) return ws.close({ code: 1011, reason: "down" });
    sockets.push(ws);
    ws.send(JSON.stringify(event({ type: "status_update", message: "connected" })));
  });
  return sockets;
}

/** An event as the ProgressHub sends it, checked against the contract's schema. */
function event(e: Partial<HubEvent> & Pick<HubEvent, "type" | "message">): HubEvent {
  return ProgressEvent.parse({
    job_id: null,
    profile_id: null,
    symbol: null,
    progress: null,
    time: NOW,
    ...e,
  });
}
type HubEvent = ReturnType<typeof ProgressEvent.parse>;

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

let browser: Browser;
let server: Server;
let origin: string;

describe("admin console stays current", () => {
  beforeAll(async () => {
    if (!existsSync(path.join(DIST, "index.html"))) throw new Error("web/dist is missing: npm run build");
    ({ server, origin } = await serveDist(DIST));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"],
    });
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    server?.close();
  });

  it.each(VIEWPORTS)(
    "settles finished jobs from the WebSocket events and pages older jobs ($name)",
    async (vp) => {
      const db = backend();
      const log: string[] = [];
      const page = await openConsole(browser, vp);
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const sockets = await mockAdmin(page, db, log, true);
      await page.goto(`${origin}/admin`);
      await jobRow(page, 125).waitFor();
      await expect.poll(() => page.locator(".live").textContent()).toContain("Live");
      // The newest page only, then the older jobs on request.
      await expect.poll(() => page.locator("li.job").count()).toBe(10);
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
      await page.screenshot({ path: path.join(SHOTS, `admin-live-${vp.name}.png`), fullPage: true });
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
      await mockAdmin(page, db, log, false);
      await page.goto(`${origin}/admin`);
      await jobRow(page, 125).waitFor();
      await expect.poll(() => page.locator(".live").textContent()).toContain("Polling");
      await expect.poll(() => modelRows(page).first().textContent()).toMatch(/v1.*active/);
      db.finish();
      await expectSettled(page, 10_000); // the offline poll runs every 4 s
      expect(log).toContain("GET /api/admin/models?profile_id=1");
      await page.screenshot({ path: path.join(SHOTS, `admin-live-poll-${vp.name}.png`), fullPage: true });
      await page.close();
    },
    60_000,
  );
});
