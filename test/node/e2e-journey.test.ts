// What a new trader trips over, in Chromium at desktop (1440x900) and phone (390x844) width against the
// dashboard's mocked API (test/e2e/dashboard-fixture.ts): a pushed minute moves every last price at once,
// on every timeframe; every number is written one way (core/format.ts) on the dashboard and in the
// console. Runs the built web app (web/dist).
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as admin from "../e2e/admin-fixture";
import { mockDashboard, signIn } from "../e2e/dashboard-fixture";
import { type Market, marketData } from "../e2e/market-fixture";
import { mockApi } from "../e2e/mock-api";
import { serveBuiltApp } from "../e2e/static-server";
import { realCandles } from "../helpers/real-data";

const SHOTS = path.resolve(import.meta.dirname, "../../.tmp/screens");
const DESKTOP = { name: "1440", width: 1440, height: 900 };
const PHONE = { name: "390", width: 390, height: 844 };
/** 12 s after the fixture's last stored candle closed. */
const T0 = Date.parse("2024-03-11T00:00:12Z");

let browser: Browser;
let close: (() => Promise<void>) | undefined;
let origin: string;

async function open(viewport: typeof DESKTOP, url = "/dashboard") {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const mock = await mockDashboard(page);
  await page.clock.install({ time: T0 });
  await signIn(page);
  await page.goto(origin + url);
  await page.waitForSelector(".chart__canvas canvas");
  await page.waitForFunction(() => !document.querySelector(".chart__overlay"));
  return { page, mock, errors, close: () => context.close() };
}

const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(SHOTS, `journey-${name}.png`), fullPage });

describe("the dashboard a new trader meets", () => {
  beforeAll(async () => {
    ({ origin, browser, close } = await serveBuiltApp());
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(() => close?.());

  it.each([DESKTOP, PHONE])(
    "moves every last price with a live minute, on every timeframe ($name)",
    async (vp) => {
      for (const tf of ["1h", "1D", "1M"]) {
        const { page, mock, errors, close } = await open(vp, `/dashboard?tf=${tf}`);
        const stats = page.locator(".card", { has: page.getByRole("heading", { name: "Statistics" }) });
        const statsPrice = stats.locator(".metric", { hasText: "Price" }).locator("dd");
        await statsPrice.waitFor();
        const before = await page.locator(".quote__price").textContent();
        await expect.poll(() => mock.socket !== null).toBe(true);
        // The minute after the last stored one, at a price no stored candle has.
        mock.pushCandle({
          time: mock.lastClose,
          open: 70_000,
          high: 70_050,
          low: 69_980,
          close: 70_012.5,
          volume: 12,
        });
        await expect.poll(() => page.locator(".quote__price").textContent()).toBe("70,012.50");
        expect(before).not.toBe("70,012.50");
        expect(await statsPrice.textContent()).toBe("70,012.50");
        // The 24 h change follows it: the header's chip and the card's figure say the same.
        const chip = await page.locator(".quote__px .chip").textContent();
        expect(await stats.locator(".metric", { hasText: "24 h" }).locator("dd").textContent()).toBe(chip);
        if (tf === "1D") await shot(page, `live-price-${vp.name}`);
        expect(errors).toEqual([]);
        await close();
      }
    },
  );

  it.each([DESKTOP, PHONE])(
    "writes every number one way, on the dashboard and in the console ($name)",
    async (vp) => {
      const { page, errors, close } = await open(vp);
      await page.locator(".model-toggle").first().waitFor();
      // p-values: two or three decimals, or "< 0.001" / "> 0.999"; never a bare "1".
      const ps = await page.locator(".model-toggle__metric", { hasText: /^p / }).allTextContents();
      expect(ps.length).toBeGreaterThan(0);
      for (const p of ps) expect(p).toMatch(/^p (< 0\.001|> 0\.999|0\.\d{2,3})$/);
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text
      const text = await page.locator("main").innerText();
      // Negative numbers carry the minus sign, never a hyphen (dates keep theirs).
      expect(text).not.toMatch(/(?<![\w-])-\d/);
      // EURUSD at its tick (0.00001), not at a size rule's four decimals.
      const eur = page.locator(".instrument", { hasText: "EURUSD" }).locator(".instrument__price");
      expect(await eur.textContent()).toMatch(/^1\.\d{5}$/);
      await shot(page, `numbers-${vp.name}`);
      expect(errors).toEqual([]);
      await close();

      // The console's models table: MAE in cents like the prices, p-values as on the chips.
      const btc: Market = {
        symbol: "BTCUSDT",
        name: "Bitcoin / Tether",
        exchange: "binance",
        m1: realCandles("BTCUSDT"),
        cache: new Map(),
      };
      const context = await browser.newContext({ viewport: vp, deviceScaleFactor: 1 });
      const console = await context.newPage();
      await mockApi(console, {
        ...marketData([btc]),
        profiles: admin.profiles([btc]),
        jobs: [],
        models: admin.models([btc]),
        trainers: [],
      });
      await console.addInitScript(() => {
        localStorage.setItem("mm.admin.token", "admin-token");
        localStorage.setItem("mm.admin", JSON.stringify({ id: 1, email: "ops@desk.example", name: "Ops" }));
      });
      await console.goto(`${origin}/admin`);
      const maes = console.locator('td[data-label="MAE / naive"]');
      await maes.first().waitFor();
      for (const cell of await maes.allTextContents()) expect(cell).toMatch(/^[\d,]+\.\d\d \/ [\d,]+\.\d\d/);
      for (const cell of await console.locator('td[data-label="DM p"]').allTextContents())
        expect(cell).toMatch(/^(—|< 0\.001|> 0\.999|0\.\d{2,3})/);
      await console
        .locator(".card", { has: console.getByRole("heading", { name: /Models/ }) })
        .first()
        .screenshot({ path: path.join(SHOTS, `journey-console-models-${vp.name}.png`) });
      await context.close();
    },
  );

  it.each([DESKTOP, PHONE])("keeps the chart card's height on every timeframe ($name)", async (vp) => {
    const { page, errors, close } = await open(vp);
    await page.locator(".model-toggle").first().waitFor();
    const heights: Record<string, number> = {};
    for (const tf of ["1h", "1W", "1M", "1h"]) {
      await page.locator(".segmented__item", { hasText: new RegExp(`^${tf}$`) }).click();
      await page.waitForFunction(() => !document.querySelector(".chart__overlay"));
      await page.waitForTimeout(300);
      const h = await page.locator(".chart-card").evaluate((el) => el.getBoundingClientRect().height);
      if (tf in heights) expect(h).toBeCloseTo(heights[tf], 0);
      heights[tf] = h;
    }
    expect(heights["1W"]).toBeCloseTo(heights["1h"], 0);
    expect(heights["1M"]).toBeCloseTo(heights["1h"], 0);
    await page.locator(".segmented__item", { hasText: /^1M$/ }).click();
    // The chart's note (the backtest card has one too when the signal held all period).
    await page.getByRole("note").filter({ hasText: "Forecasts hidden" }).waitFor();
    await shot(page, `chart-1M-${vp.name}`);
    expect(errors).toEqual([]);
    await close();
  });

  it("gives the forecast fan at most a third of a phone's chart at 1h", async () => {
    const { page, errors, close } = await open(PHONE);
    await page.locator(".model-toggle").first().waitFor();
    await page.waitForTimeout(300);
    // The plot is the widest cell of the chart table's first row; under the crosshair a candle shows its OHLC, a slot past
    // the last candle the forecasts' readout. The boundary is where one turns into the other.
    const plot = await page.evaluate(() => {
      const cells = Array.from(document.querySelectorAll(".chart__canvas table tr:first-child td"));
      const r = cells.map((c) => c.getBoundingClientRect()).sort((a, b) => b.width - a.width)[0];
      return { left: r.left, width: r.width, y: r.top + r.height / 2 };
    });
    const readsForecast = async (x: number) => {
      await page.mouse.move(plot.left + x, plot.y);
      return (await page.locator(".readout").count()) > 0;
    };
    // The right margin past the last forecast reads nothing: step left to the first forecast slot.
    let hi = plot.width - 2;
    while (hi > 0 && !(await readsForecast(hi))) hi -= 4;
    expect(hi).toBeGreaterThan(0);
    let lo = 0;
    while (hi - lo > 2) {
      const mid = (lo + hi) / 2;
      if (await readsForecast(mid)) hi = mid;
      else lo = mid;
    }
    await page.mouse.move(0, 0);
    await shot(page, "phone-fan-1h");
    expect((plot.width - hi) / plot.width).toBeLessThanOrEqual(1 / 3 + 0.02);
    expect(errors).toEqual([]);
    await close();
  });

  it.each([DESKTOP, PHONE])(
    "opens a profile's data status without re-wrapping its row ($name)",
    async (vp) => {
      const btc: Market = {
        symbol: "BTCUSDT",
        name: "Bitcoin / Tether",
        exchange: "binance",
        m1: realCandles("BTCUSDT"),
        cache: new Map(),
      };
      const context = await browser.newContext({ viewport: vp, deviceScaleFactor: 1 });
      const page = await context.newPage();
      await mockApi(page, {
        ...marketData([btc]),
        profiles: admin.profiles([btc]),
        dataStatus: (id) => (id === 1 ? admin.dataStatus(btc, id) : undefined),
        jobs: [],
        models: [],
        trainers: [],
      });
      await page.addInitScript(() => {
        localStorage.setItem("mm.admin.token", "admin-token");
        localStorage.setItem("mm.admin", JSON.stringify({ id: 1, email: "ops@desk.example", name: "Ops" }));
      });
      await page.goto(`${origin}/admin`);
      const row = page.locator(".admin-profiles tbody tr", { hasText: "BTCUSDT" }).first();
      const type = row.locator('td[data-label="Type"]');
      await type.waitFor();
      // Its lines: the distinct tops of its text's boxes ("crypto · binance" is one).
      const box = () =>
        type.evaluate((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          const lines = new Set(Array.from(range.getClientRects()).map((r) => Math.round(r.top))).size;
          return { lines, h: Math.round(el.getBoundingClientRect().height) };
        });
      const before = await box();
      await row.getByRole("button", { name: "Data status" }).click();
      await page.locator(".row-detail dl, .row-detail table").first().waitFor();
      const after = await box();
      expect(before.lines).toBe(1);
      expect(after).toEqual(before);
      await page
        .locator(".admin-profiles")
        .screenshot({ path: path.join(SHOTS, `journey-data-status-${vp.name}.png`) });
      await context.close();
    },
  );

  it.each([DESKTOP, PHONE])("shows on the landing page only what the product does ($name)", async (vp) => {
    const context = await browser.newContext({ viewport: vp, deviceScaleFactor: 1 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(`${origin}/`);
    const art = page.locator(".hero-art");
    await art.waitFor();
    // A labelled illustration, no real-looking symbol, and the signal the product gives until a model
    // earns a vote: HOLD without a confidence, never a drawn BUY.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text
    const said = await art.innerText();
    expect(said).toMatch(/illustration/i);
    expect(said).toContain("not market data");
    expect(said).toContain("HOLD");
    expect(said).not.toMatch(/\bBUY\b|BTCUSDT/);
    expect(await art.locator(".hero-art__meter").count()).toBe(0);
    // The words match: a signal holds until a model earns a vote.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text
    const hero = await page.locator(".hero").innerText();
    expect(hero).toMatch(/hold/i);
    expect(hero).not.toMatch(/likely to go/i);
    await page.screenshot({ path: path.join(SHOTS, `journey-landing-${vp.name}.png`) });
    expect(errors).toEqual([]);
    await context.close();
  });

  it.each([DESKTOP, PHONE])(
    "gives a watchlist: sparkline, price, change, signal, sorted, starred first ($name)",
    async (vp) => {
      const { page, mock, errors, close } = await open(vp);
      const symbols = () => page.locator(".instrument__symbol").allTextContents();
      const row = (symbol: string) => page.locator(".watch", { hasText: symbol });
      await page.locator(".watch .sparkline polyline").first().waitFor();
      expect(await symbols()).toEqual(["BTCUSDT", "ETHUSDT", "EURUSD"]);
      for (const symbol of await symbols()) {
        const r = row(symbol);
        expect(await r.locator(".sparkline polyline").count()).toBe(1);
        expect(await r.locator(".instrument__price").textContent()).toMatch(/^[\d,]+\.\d+$/);
        expect(await r.locator(".chip").textContent()).toMatch(/^(\+|−)?\d+\.\d\d%$/);
        expect(await r.locator(".watch__signal").textContent()).toMatch(/^(buy|sell|hold)$/);
      }
      // The 24 h sparkline is the last 24 hourly closes of the market.
      const points = await row("BTCUSDT").locator(".sparkline polyline").getAttribute("points");
      expect(points?.trim().split(" ")).toHaveLength(24);
      // Sorted by the 24 h change, largest first.
      await page.locator(".watch__sort select").selectOption("change");
      const changes = await page.locator(".watch .chip").allTextContents();
      const asNumbers = changes.map((c) => Number(c.replace("−", "-").replace("%", "")));
      expect(asNumbers).toEqual([...asNumbers].sort((a, b) => b - a));
      // A star puts EURUSD first, is stored for the user, and holds after a reload.
      await row("EURUSD").getByRole("button", { name: "Star EURUSD" }).click();
      await expect.poll(symbols).toEqual(expect.arrayContaining(["EURUSD"]));
      expect((await symbols())[0]).toBe("EURUSD");
      await expect.poll(() => mock.log).toContain("PUT /api/watchlist/EURUSD/star");
      await page.reload();
      await page.locator(".watch .sparkline polyline").first().waitFor();
      expect((await symbols())[0]).toBe("EURUSD");
      expect(await row("EURUSD").locator(".watch__star").getAttribute("aria-pressed")).toBe("true");
      if (vp === DESKTOP) {
        // On a desktop a long name wraps inside its row instead of being cut.
        const cut = await row("BTCUSDT")
          .locator(".instrument__name")
          .evaluate(
            (el) => el.scrollWidth > el.clientWidth + 0.5 || getComputedStyle(el).textOverflow === "ellipsis",
          );
        expect(cut).toBe(false);
      }
      await shot(page, `watchlist-${vp.name}`);
      await page
        .locator(".instruments")
        .screenshot({ path: path.join(SHOTS, `journey-watchlist-list-${vp.name}.png`) });
      // Every price and change is whole inside its row.
      const clipped = await page.locator(".watch .instrument__quote").evaluateAll((els) =>
        els
          .filter((el) => {
            // Inside its row, and the row no wider than the list (the phone's strip scrolls sideways).
            const row = el.closest(".instrument")!.getBoundingClientRect();
            const list = el.closest(".instruments__list")!;
            const box = el.getBoundingClientRect();
            return box.right > row.right + 0.5 || row.width > list.clientWidth + 0.5;
          })
          .map((el) => el.textContent),
      );
      expect(clipped).toEqual([]);
      // Unstarred again: the list is back in its chosen order.
      await row("EURUSD").getByRole("button", { name: "Unstar EURUSD" }).click();
      // The click answers at once; the request is logged when the mocked route sees it.
      await expect.poll(() => mock.log).toContain("DELETE /api/watchlist/EURUSD/star");
      expect(errors).toEqual([]);
      await close();
    },
  );
});
