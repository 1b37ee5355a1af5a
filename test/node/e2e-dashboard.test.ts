// The dashboard as a trader meets it, in Chromium at desktop (1440x900) and phone (390x844) width,
// against contract-checked answers built from real candles (test/e2e/dashboard-fixture.ts): a backtest
// without trades, labelled ratios, the confidence ring, no "-0.0", the category filter, whole prices in
// the markets list, the phone layout (chart first, compact axis, attribution off the data) and the
// freshness badge through a stale feed, an outage and the recovery. Runs the built web app (web/dist).
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mockDashboard, signIn } from "../e2e/dashboard-fixture";
import { serveBuiltApp } from "../e2e/static-server";

const ROOT = path.resolve(import.meta.dirname, "../..");
const SHOTS = path.join(ROOT, ".tmp/screens");
const DESKTOP = { name: "1440", width: 1440, height: 900 };
const PHONE = { name: "390", width: 390, height: 844 };

let browser: Browser;
let close: (() => Promise<void>) | undefined;
let origin: string;

async function open(viewport: typeof DESKTOP, url = "/dashboard", clockAt?: number) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on(
    "console",
    (m) => m.type() === "error" && !m.text().includes("ERR_INTERNET_DISCONNECTED") && errors.push(m.text()),
  );
  // The mock first: building its ledgers takes a moment the clock must not count.
  const mock = await mockDashboard(page);
  if (clockAt !== undefined) await page.clock.install({ time: clockAt });
  await signIn(page);
  await page.goto(origin + url);
  await page.waitForSelector(".chart__canvas canvas");
  await page.waitForFunction(() => !document.querySelector(".chart__overlay"));
  await page.locator(".backtest__headline").waitFor();
  return { page, mock, errors, close: () => context.close() };
}

const shot = (page: Page, name: string, fullPage = false) =>
  page.screenshot({ path: path.join(SHOTS, `dash-${name}.png`), fullPage });

describe("dashboard in a browser", () => {
  beforeAll(async () => {
    ({ origin, browser, close } = await serveBuiltApp());
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(() => close?.());

  it.each([DESKTOP, PHONE])(
    "reads right: backtest without trades, labelled ratios, ring = text, no -0.0 ($name)",
    async (vp) => {
      const { page, errors, close } = await open(vp);
      const backtest = page.locator(".card", { has: page.getByRole("heading", { name: "Backtest" }) });
      await backtest.getByText("No trades: the signal held all period").waitFor();
      const edge = backtest.locator(".backtest__headline div", { hasText: "Edge" }).locator("strong");
      expect(await edge.textContent()).toBe("—");
      expect(await edge.getAttribute("class")).not.toMatch(/\bup\b|\bdown\b/);
      // Every ratio says which returns it uses and how it is annualised.
      const stats = page.locator(".card", { has: page.getByRole("heading", { name: "Statistics" }) });
      expect(await stats.locator(".metric", { hasText: "Sharpe" }).textContent()).toContain("daily, ×√365");
      expect(await stats.locator(".metric", { hasText: "Volatility" }).textContent()).toContain(
        "daily, ×√365",
      );
      expect(await backtest.locator(".metric", { hasText: "Sharpe" }).textContent()).toContain(
        "hourly, ×√8760",
      );
      expect(await stats.textContent()).toMatch(
        /\d+ daily log returns of the closes \d{4}-\d\d-\d\d → \d{4}-\d\d-\d\d/,
      );
      // The ring: its text, its label, its arc and the reason all say 69%.
      const ring = page.locator("svg.ring");
      expect(await ring.locator("text").textContent()).toBe("69%");
      expect(await ring.getAttribute("aria-label")).toBe("Confidence 69%");
      const arc = await ring.locator(".ring__value").evaluate((el) => {
        const [dash, gap] = (el.getAttribute("stroke-dasharray") ?? "").split(" ").map(Number);
        return { fraction: dash / gap, cap: getComputedStyle(el).strokeLinecap };
      });
      expect(arc.cap).toBe("butt");
      expect(arc.fraction).toBeCloseTo(0.69, 3);
      expect(await page.locator(".signal__reasons").textContent()).toContain("Confidence 69%");
      // biome-ignore lint/performance/useDomNodeTextContent: the rendered text, one figure per line
      const text = await page.locator("main").innerText();
      // A number that rounds to zero carries no sign ("−0.0%", "-0.00" read as a loss that is not there).
      expect(text).not.toMatch(/[-−]0(?:\.0+)?(?![.\d])/);
      await shot(page, `insights-${vp.name}`, true);
      expect(errors).toEqual([]);
      await close();
    },
  );

  it.each([DESKTOP, PHONE])("filters markets by category and shows whole prices ($name)", async (vp) => {
    const { page, errors, close } = await open(vp);
    const rows = page.locator(".instrument__symbol");
    expect(await rows.allTextContents()).toEqual(["BTCUSDT", "ETHUSDT", "EURUSD"]);
    await page.getByRole("button", { name: /^Forex/ }).click();
    expect(await rows.allTextContents()).toEqual(["EURUSD"]);
    await page.getByRole("button", { name: /^Crypto/ }).click();
    expect(await rows.allTextContents()).toEqual(["BTCUSDT", "ETHUSDT"]);
    // BTCUSDT's five-digit price is whole and inside its row, beside a long name.
    const price = page.locator(".instrument", { hasText: "BTCUSDT" }).locator(".instrument__price");
    expect(await price.textContent()).toMatch(/^\d\d,\d{3}\.\d\d$/);
    const fits = await price.evaluate((el) => {
      const row = el.closest(".instrument")!.getBoundingClientRect();
      const box = el.getBoundingClientRect();
      return el.scrollWidth <= el.clientWidth + 0.5 && box.left >= row.left && box.right <= row.right + 0.5;
    });
    expect(fits).toBe(true);
    await page.getByRole("button", { name: /^All/ }).click();
    expect(await rows.count()).toBe(3);
    await shot(page, `markets-${vp.name}`);
    expect(errors).toEqual([]);
    await close();
  });

  it("puts the chart first on a phone, with a compact axis and the attribution off the data", async () => {
    const { page, errors, close } = await open(PHONE);
    await page.waitForTimeout(300);
    const layout = await page.evaluate(() => {
      const box = document.querySelector(".chart__box")!.getBoundingClientRect();
      const markets = document.querySelector(".instruments")!.getBoundingClientRect();
      // The price axis is the right-hand cell of the chart's table (canvas cells, left to right).
      const cells = document.querySelectorAll(".chart__canvas table tr:first-child td");
      const axis = cells[cells.length - 1].getBoundingClientRect();
      const credit = document.querySelector(".chart-card__credit")?.getBoundingClientRect() ?? null;
      const logos = document.querySelectorAll('.chart__canvas a[href*="tradingview"]').length;
      return { box, markets, axisWidth: axis.width, credit, logos, width: window.innerWidth };
    });
    await shot(page, "phone-first-screen");
    expect(layout.box.top).toBeGreaterThan(0);
    expect(layout.box.top).toBeLessThan(PHONE.height * 0.4); // 60% down before
    expect(layout.box.bottom).toBeLessThanOrEqual(PHONE.height);
    expect(layout.markets.top).toBeGreaterThan(layout.box.bottom); // the markets strip follows the chart
    expect(layout.axisWidth / layout.box.width).toBeLessThan(0.2); // a quarter before
    // The licence's attribution: visible, linked, and nowhere on the candles or volume bars.
    expect(layout.logos).toBe(0);
    expect(layout.credit).not.toBeNull();
    expect(layout.credit!.width).toBeGreaterThan(0);
    expect(layout.credit!.top).toBeGreaterThanOrEqual(layout.box.bottom);
    expect(layout.credit!.right).toBeLessThanOrEqual(layout.width);
    expect(errors).toEqual([]);
    await close();
  });

  it.each([DESKTOP, PHONE])(
    "tells how fresh the data is: live, stale, offline, recovered ($name)",
    async (vp) => {
      // The clock starts 12 s after the last stored candle closed, as if it had just been collected.
      const t0 = Date.parse("2024-03-11T00:00:12Z");
      const { page, mock, close } = await open(vp, "/dashboard", t0);
      expect(mock.lastClose * 1000).toBe(t0 - 12_000);
      const badge = page.locator(".freshness");
      const says = (text: RegExp) =>
        expect.poll(() => badge.textContent(), { timeout: 10_000 }).toMatch(text);
      // Counted from the candle's close: 12 s plus however long the page took to load (under load, many).
      await says(/^live, last candle \d+ s ago$/);
      const shown = Number((await badge.textContent())?.match(/(\d+) s ago/)?.[1]);
      const since = Math.floor(((await page.evaluate(() => Date.now())) - mock.lastClose * 1000) / 1000);
      expect(shown).toBeGreaterThanOrEqual(12);
      expect(Math.abs(shown - since)).toBeLessThanOrEqual(2);
      await shot(page, `freshness-live-${vp.name}`);
      // The socket stays up but no candle comes: the data's own time says so.
      await page.clock.fastForward("07:00");
      await says(/^no new candle for 7 min$/);
      await shot(page, `freshness-stale-${vp.name}`);
      // A collected minute arrives over the socket.
      const nowSec = Math.floor((await page.evaluate(() => Date.now())) / 1000);
      const minute = nowSec - (nowSec % 60) - 60;
      mock.pushCandle({ time: minute, open: 70_000, high: 70_050, low: 69_980, close: 70_010, volume: 12 });
      await says(/^live, last candle \d+ s ago$/);
      // The connection drops: the socket closes and every request fails.
      mock.down = true;
      await mock.socket?.close({ code: 4000, reason: "gone" });
      await page.clock.runFor(3000);
      await says(/^offline, retrying$/);
      await shot(page, `freshness-offline-${vp.name}`);
      // It comes back: the live feed reconnects by itself.
      mock.down = false;
      await page.clock.runFor(8000);
      await says(/^live, last candle \d+ s ago$/);
      await close();
    },
  );
});
