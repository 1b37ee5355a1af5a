// What a trader and an admin are told about the forecasts served, in Chromium at desktop (1440x900) and
// phone (390x844) width, against the mocked API whose ledgers core's own ledger code made and scored
// (test/e2e/ledger-fixture.ts): the signal card with and without a confidence, the track record card
// (live scores, the signal on paper, the chain head, the CSV), its empty states, and the admin console's
// reliability tables of the signal's confidence.
import { mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BACKTEST_DIFFERENCE } from "../../core/ledger/track-record";
import { liveFigures } from "../../web/src/lib/figures";
import { formatNumber, formatPct } from "../../web/src/lib/format";
import * as admin from "../e2e/admin-fixture";
import { mockDashboard, signIn } from "../e2e/dashboard-fixture";
import { calibratedBasis } from "../e2e/forecast-fixture";
import { adminTrackRecord, type Market, marketData } from "../e2e/market-fixture";
import { mockApi } from "../e2e/mock-api";
import { serveBuiltApp } from "../e2e/static-server";
import { realCandles } from "../helpers/real-data";

const SHOTS = path.resolve(import.meta.dirname, "../../.tmp/screens");
const VIEWPORTS = [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
];
const basis = calibratedBasis().basis;

let browser: Browser;
let close: (() => Promise<void>) | undefined;
let site: string;

async function dashboard(viewport: { width: number; height: number }, symbol: string) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  // EURUSD has no ledger yet: its track record answers 404, which the browser logs.
  page.on("console", (m) => m.type() === "error" && !m.text().includes("404") && errors.push(m.text()));
  await mockDashboard(page);
  await page.clock.install({ time: Date.parse("2024-03-11T00:00:12Z") });
  await signIn(page);
  await page.goto(`${site}/dashboard?symbol=${symbol}`);
  await page.locator(".signal__badge").waitFor();
  await page.locator(".record-card :is(.record, p)").first().waitFor();
  return { page, errors, close: () => context.close() };
}

describe("the signal's confidence and the live track record in a browser", () => {
  beforeAll(async () => {
    ({ origin: site, browser, close } = await serveBuiltApp());
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(() => close?.());

  for (const vp of VIEWPORTS) {
    it(`shows a confidence with what it rests on, or none, at ${vp.name} px`, async () => {
      const btc = await dashboard(vp, "BTCUSDT");
      const card = btc.page.locator(".card", {
        has: btc.page.getByRole("heading", { name: "Signal", exact: true }),
      });
      expect(await card.locator("svg.ring text").textContent()).toBe("69%");
      const h = basis.held_out!;
      expect(await card.locator(".signal__basis").textContent()).toContain(
        `calibrated on ${basis.n} out-of-sample hours · held out (${h.n} hours): Brier ${h.brier.toFixed(3)} vs ${h.brier_base_rate.toFixed(3)} base rate`,
      );
      await btc.close();
      for (const [symbol, state, words] of [
        ["ETHUSDT", "no-edge", "No evidence of an edge"],
        ["EURUSD", "uncalibrated", "No confidence yet: too few hours to calibrate"],
      ] as const) {
        const { page, errors, close } = await dashboard(vp, symbol);
        const signal = page.locator(".card", {
          has: page.getByRole("heading", { name: "Signal", exact: true }),
        });
        expect(await signal.locator("svg.ring").count()).toBe(0);
        expect(await signal.locator(".signal__main").textContent()).not.toContain("%");
        expect(await signal.locator(`.signal__none[data-state=${state}]`).textContent()).toContain(words);
        await signal.screenshot({ path: path.join(SHOTS, `signal-${state}-${vp.name}.png`) });
        expect(errors).toEqual([]);
        await close();
      }
    }, 90_000);

    it(`tells the track record and saves the ledger as CSV at ${vp.name} px`, async () => {
      const { page, errors, close } = await dashboard(vp, "BTCUSDT");
      const record = await page.evaluate(() =>
        fetch("/api/instruments/BTCUSDT/track-record", {
          headers: { Authorization: "Bearer user-token" },
        }).then((r) => r.json()),
      );
      const card = page.locator(".record-card");
      const text = (await card.textContent()) ?? "";
      expect(text).toContain("Live since2024-03-06 01:00 UTC");
      expect(text).toContain(`Entries${record.entries}`);
      for (const m of record.models) {
        const row = card.locator(".record-model", {
          hasText: m.model_type === "garch" ? "GARCH" : m.model_type === "arima" ? "ARIMA" : "GRU",
        });
        const shown = await row.locator(".figures div").allTextContents();
        expect(shown).toEqual(liveFigures(m.model_type, m.next_hour).map((f) => `${f.word}${f.value}`));
      }
      const paper = record.signal.paper;
      expect(text).toContain(`signal${formatPct(paper.total_return, 2)}`);
      expect(text).toContain(`buy & hold${formatPct(paper.buy_and_hold_return, 2)}`);
      expect(await card.locator("svg.equity path").count()).toBe(2);
      expect(await card.locator(".record__chain code").getAttribute("title")).toBe(record.head.hash);
      expect(text).toContain(`Chain head #${record.head.seq}`);
      expect(text).toContain(BACKTEST_DIFFERENCE);
      await card.screenshot({ path: path.join(SHOTS, `track-record-${vp.name}.png`) });
      // The CSV: fetched with the token, saved from the bytes.
      const auth = page.waitForRequest((r) => r.url().includes("/ledger?"));
      const download = page.waitForEvent("download");
      await card.getByRole("button", { name: /CSV/ }).click();
      expect((await auth).headers().authorization).toBe("Bearer user-token");
      const file = await (await download).path();
      const lines = readFileSync(file, "utf8").trim().split("\r\n");
      expect(lines[0]).toMatch(/^seq,made_at,kind,origin,symbol,model_type,/);
      expect(lines).toHaveLength(record.entries + 1);
      expect(await card.locator(".ledger-download__file").textContent()).toMatch(
        /^BTCUSDT-ledger-\d+-\d+\.csv$/,
      );
      expect(errors).toEqual([]);
      await close();
    }, 90_000);

    it(`says what will appear and when, before anything is scored, at ${vp.name} px`, async () => {
      const eth = await dashboard(vp, "ETHUSDT");
      const card = eth.page.locator(".record-card");
      expect(await card.textContent()).toContain(
        "Nothing scored yet: the first forecasts are scored an hour after they are made, from about 2023-09-18 01:00 UTC.",
      );
      expect(await card.textContent()).toContain("No paper trade yet");
      await card.screenshot({ path: path.join(SHOTS, `track-record-new-${vp.name}.png`) });
      await eth.close();
      const eur = await dashboard(vp, "EURUSD");
      expect(await eur.page.locator(".record-card").textContent()).toContain(
        "No track record yet: it starts when the models are trained",
      );
      expect(eur.errors).toEqual([]);
      await eur.close();
    }, 90_000);

    it(`gives admins the live scores and the confidence's reliability tables at ${vp.name} px`, async () => {
      const btc: Market = {
        symbol: "BTCUSDT",
        name: "Bitcoin / Tether",
        exchange: "binance",
        m1: realCandles("BTCUSDT"),
        cache: new Map(),
      };
      const page = await browser.newPage({ viewport: vp });
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      const answer = await adminTrackRecord(btc);
      await mockApi(page, {
        ...marketData([btc]),
        profiles: admin.profiles([btc]),
        jobs: [],
        models: admin.models([btc]),
        trainers: [],
        adminTrackRecord: (id) => (id === 1 ? answer : null),
      });
      await page.addInitScript(() => {
        localStorage.setItem("mm.admin.token", "admin-token");
        localStorage.setItem("mm.admin", JSON.stringify({ id: 1, email: "ops@desk.example", name: "Ops" }));
      });
      await page.goto(`${site}/admin`);
      const panel = page.locator(".admin-records");
      await panel.locator(".table--reliability").first().waitFor();
      for (const m of answer.models) {
        const row = panel.locator(".table--record tbody tr", {
          hasText: m.model_type === "garch" ? "GARCH" : m.model_type === "arima" ? "ARIMA" : "GRU",
        });
        expect(await row.locator(".figures div").allTextContents()).toEqual(
          liveFigures(m.model_type, m.next_hour!).map((f) => `${f.word}${f.value}`),
        );
      }
      const [heldOut, live] = [panel.locator(".reliability").nth(0), panel.locator(".reliability").nth(1)];
      for (const [table, check] of [
        [heldOut, answer.calibration.held_out!],
        [live, answer.signal.confidence!],
      ] as const) {
        expect(await table.locator("figcaption").textContent()).toContain(
          `${formatNumber(check.n, 0)} hours · Brier ${check.brier.toFixed(3)} vs ${check.brier_base_rate.toFixed(3)} base rate`,
        );
        const rows = await table
          .locator("tbody tr")
          .evaluateAll((trs) =>
            trs.map((tr) => Array.from(tr.querySelectorAll("td")).map((td) => td.textContent)),
          );
        expect(rows).toEqual(
          check.reliability.map((b) => [
            `${Math.round(b.from * 100)}–${Math.round(b.to * 100)}%`,
            String(b.n),
            formatPct(b.predicted, 1, false),
            formatPct(b.observed, 1, false),
          ]),
        );
      }
      const overflow = await panel.evaluate((el) => el.scrollWidth - el.clientWidth);
      expect(overflow).toBeLessThanOrEqual(1);
      await panel.screenshot({ path: path.join(SHOTS, `admin-track-record-${vp.name}.png`) });
      expect(errors).toEqual([]);
      await page.close();
    }, 90_000);
  }
});
