// Buy/sell markers and forecasts per timeframe, in Chromium at desktop and phone width, against the
// built web app with the API mocked from real BTCUSDT candles (the mock's new answers are parsed by the
// contract's schemas, so they cannot drift from the API). The data end on 2024-02-29 21:00 UTC, so a
// 24 h forecast would reach into the next 1M candle: it must not be stretched across it.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Backtest, SignalHistory, Stats } from "../../worker/contract/insights";
import * as market from "../e2e/market-fixture";
import { mockApi } from "../e2e/mock-api";
import { serveBuiltApp } from "../e2e/static-server";
import { realCandles } from "../helpers/real-data";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SHOTS = path.join(ROOT, ".tmp/screens");
const END = Date.UTC(2024, 1, 29, 21) / 1000;
const btc: market.Market = {
  symbol: "BTCUSDT",
  name: "Bitcoin / Tether",
  exchange: "binance",
  m1: realCandles("BTCUSDT").filter((c) => c.time < END),
  cache: new Map(),
};
const VIEWPORTS = [
  ["1440", { width: 1440, height: 900 }],
  ["390", { width: 390, height: 844 }],
] as const;
let browser: Browser;
let close: (() => Promise<void>) | undefined;
let origin: string;

async function open(viewport: { width: number; height: number }, url: string) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await page.clock.setFixedTime(END * 1000 + 60_000);
  await mockApi(page, market.marketData([btc]));
  await context.addInitScript(() => {
    localStorage.setItem("mm.user.token", "user-token");
    localStorage.setItem("mm.user", JSON.stringify({ id: 7, email: "ada@desk.example" }));
  });
  await page.goto(origin + url, { waitUntil: "networkidle" });
  await page.waitForSelector(".chart__canvas canvas", { timeout: 15_000 });
  await page.waitForFunction(() => !document.querySelector(".chart__overlay"), null, { timeout: 15_000 });
  await page.waitForSelector(".model-toggle", { timeout: 15_000 });
  await page.waitForTimeout(500);
  return { page, errors, close: () => context.close() };
}

const count = async (page: Page, layer: string) =>
  Number(await page.locator(`[data-layer=${layer}] .model-toggle__metric`).textContent());
/** The chart's pixels, with animations stopped and the pulsing live pill hidden so only the chart counts. */
async function chartPixels(page: Page) {
  await page.addStyleTag({
    content: "*{animation:none!important;transition:none!important}.chart__live{visibility:hidden}",
  });
  return page.locator(".chart__canvas").screenshot();
}

describe("chart markers and forecasts per timeframe in a browser", () => {
  beforeAll(async () => {
    ({ origin, browser, close } = await serveBuiltApp());
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(() => close?.());

  it("the mock answers what the contract describes (signal history, backtest, stats)", () => {
    const to = END + 60;
    const history = SignalHistory.parse(market.signalHistory(btc, to - 365 * 86_400, to));
    expect(new Set(history.signals.map((s) => s.signal))).toEqual(new Set(["buy", "sell", "hold"]));
    const { fills } = Backtest.parse(market.backtest(btc));
    expect(fills.length).toBeGreaterThan(2);
    Stats.parse(market.stats(btc));
  });

  for (const [name, viewport] of VIEWPORTS) {
    it(`marks signals and trades on 1h and 1M, toggled from the legend, at ${name} px`, async () => {
      const { page, errors, close } = await open(viewport, "/dashboard?tf=1h");
      expect(await count(page, "signals")).toBeGreaterThan(0);
      expect(await count(page, "trades")).toBeGreaterThan(0);
      await page.screenshot({ path: path.join(SHOTS, `markers-1h-${name}.png`) });
      const withMarkers = await chartPixels(page);
      for (const layer of ["signals", "trades"]) {
        await page.click(`[data-layer=${layer}]`);
        await expect.poll(() => page.getAttribute(`[data-layer=${layer}]`, "aria-pressed")).toBe("false");
      }
      await page.waitForTimeout(300);
      const without = await chartPixels(page);
      expect(without.equals(withMarkers)).toBe(false);
      for (const layer of ["signals", "trades"]) await page.click(`[data-layer=${layer}]`);
      await page.waitForTimeout(300);
      // Back on: the markers are drawn again (pixel-identical PNGs are not guaranteed, so compare with off).
      expect((await chartPixels(page)).equals(without)).toBe(false);

      // 1M: markers folded onto the month candles; the 24 h forecasts are shorter than one: not drawn.
      await page.locator(".segmented__item", { hasText: /^1M$/ }).click();
      await page.waitForFunction(() => !document.querySelector(".chart__overlay"), null, { timeout: 15_000 });
      await page.waitForTimeout(500);
      expect(await count(page, "trades")).toBeGreaterThan(0);
      // One line over the chart says why; the toggles stay, disabled, so the card keeps its height.
      const toggles = page.locator(".model-toggle:not([data-layer])");
      expect(await toggles.count()).toBeGreaterThan(0);
      expect(await toggles.evaluateAll((els) => els.every((el) => (el as HTMLButtonElement).disabled))).toBe(
        true,
      );
      expect(await page.getByRole("note").filter({ hasText: "Forecasts hidden" }).textContent()).toContain(
        "Forecasts hidden on 1M: their 24 h horizon is shorter than one 1M candle.",
      );
      await page.screenshot({ path: path.join(SHOTS, `markers-1M-${name}.png`) });
      expect(errors).toEqual([]);
      await close();
    }, 60_000);
  }
});
