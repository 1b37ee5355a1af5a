// Where the forecasts are drawn and how the models are labelled, in Chromium at desktop (1440x900) and
// phone (390x844) width against the mocked API (test/e2e/dashboard-fixture.ts: real BTCUSDT candles to
// 2024-03-10 23:59, forecasts made at the close of the 23:00 hour). Each hour's forecast sits at its
// hour's close, the first at 01:00 (not at 00:00, the next minutes, on 15m), the fan starts at the last
// price, and the band stays inside the price scale; every figure on a chip has its label, the GARCH chip
// shows QLIKE against the EWMA, not a price skill; the 24 h range card shows GARCH's range and how
// often such ranges held.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatFixed, formatPct, priceDecimals } from "../../web/src/lib/format";
import { Predictions } from "../../worker/contract/insights";
import { mockDashboard, signIn } from "../e2e/dashboard-fixture";
import { predictions } from "../e2e/forecast-fixture";
import { serveBuiltApp } from "../e2e/static-server";
import { realCandles } from "../helpers/real-data";

const SHOTS = path.resolve(import.meta.dirname, "../../.tmp/screens");
const VIEWPORTS = [
  { name: "1440", width: 1440, height: 900 },
  { name: "390", width: 390, height: 844 },
];
const HOUR = 3600;
const forecast = Predictions.parse(predictions({ symbol: "BTCUSDT", m1: realCandles("BTCUSDT") }));
const origin = forecast.origin!; // 2024-03-10 23:00
const model = (type: string) => forecast.models.find((m) => m.model_type === type)!;

let browser: Browser;
let close: (() => Promise<void>) | undefined;
let site: string;

async function open(viewport: { width: number; height: number }, url: string) {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  await mockDashboard(page);
  await page.clock.install({ time: Date.parse("2024-03-11T00:00:12Z") });
  await signIn(page);
  await page.goto(site + url);
  await page.waitForFunction(() => !document.querySelector(".chart__overlay"), null, { timeout: 15_000 });
  await page.locator(".model-toggle.is-on").first().waitFor();
  await page.waitForTimeout(400);
  return { page, errors, close: () => context.close() };
}

/** The chart pane's size: the price axis is the last cell of the chart's first row. */
const pane = (page: Page) =>
  page.evaluate(() => {
    const cells = document.querySelectorAll(".chart__canvas table tr:first-child td");
    const r = cells[cells.length - 2].getBoundingClientRect();
    return { x: r.left, y: r.top, width: r.width, height: r.height };
  });

/** Moves the crosshair rightwards across the pane's right part: the first forecast readouts met, by slot. */
async function readouts(page: Page) {
  const p = await pane(page);
  const seen = new Map<number, string>();
  for (let x = p.x + p.width * 0.6; x < p.x + p.width - 2; x += 4) {
    await page.mouse.move(x, p.y + p.height * 0.4);
    const readout = await page.evaluate(() => {
      const el = document.querySelector(".readout");
      return el && ([Number(el.getAttribute("data-slot")), el.textContent ?? ""] as const);
    });
    if (readout) seen.set(readout[0], readout[1]);
    if (seen.size === 4) break;
  }
  await page.mouse.move(0, 0);
  return [...seen.entries()].sort((a, b) => a[0] - b[0]);
}

/** Rows of the pane holding GARCH's colour (#B58CFF, its line and band edges) on the chart's canvases. */
const purpleRows = (page: Page) =>
  page.evaluate(() => {
    const cells = document.querySelectorAll(".chart__canvas table tr:first-child td");
    const rows: number[] = [];
    for (const canvas of Array.from(cells[cells.length - 2].querySelectorAll("canvas"))) {
      const ctx = canvas.getContext("2d");
      if (!ctx) continue;
      const { data, width, height } = ctx.getImageData(0, 0, canvas.width, canvas.height);
      for (let y = 0; y < height; y++)
        for (let x = 0; x < width; x++) {
          const i = 4 * (y * width + x);
          const purple =
            Math.abs(data[i] - 181) < 30 && Math.abs(data[i + 1] - 140) < 30 && data[i + 2] > 220;
          if (purple && data[i + 3] > 60) {
            rows.push(y);
            break;
          }
        }
    }
    return {
      top: Math.min(...rows),
      bottom: Math.max(...rows),
      height: cells[cells.length - 2].clientHeight,
    };
  });

describe("forecasts drawn where they belong, labelled chips, the 24 h range", () => {
  beforeAll(async () => {
    ({ origin: site, browser, close } = await serveBuiltApp());
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(() => close?.());

  for (const vp of VIEWPORTS) {
    it(`puts each hour's forecast at its close and keeps the band in the price scale at ${vp.name} px`, async () => {
      for (const tf of ["15m", "1h"]) {
        const { page, errors, close } = await open(vp, `/dashboard?tf=${tf}`);
        const arima = model("arima").forecast;
        const seen = await readouts(page);
        expect(seen.length).toBeGreaterThan(0);
        // The first point forecasts the close of the 00:00 hour: it sits at 01:00, the first slot after
        // the last candle that holds a forecast; nothing sits between the last candle and it.
        const [slot, text] = seen[0];
        expect(slot).toBe(origin + 2 * HOUR);
        expect(text).toContain("Forecast of the close at 2024-03-11 01:00 UTC");
        expect(text).toContain(`ARIMA${formatFixed(arima[0].value, priceDecimals(arima[0].value, 0.01))}`);
        for (const [s, t] of seen) {
          const k = (s - origin) / HOUR - 2;
          expect(t).toContain(formatFixed(arima[k].value, priceDecimals(arima[k].value, 0.01)));
        }
        // Only GARCH shown: its band (the widest) lies inside the pane's price area, not cut at its top.
        for (const type of ["ARIMA", "GRU + attention", "CNN pattern"]) {
          const chip = page.locator(".model-toggle", { hasText: type });
          await chip.click();
          await expect.poll(() => chip.getAttribute("aria-pressed")).toBe("false");
        }
        await page.waitForTimeout(400);
        const band = await purpleRows(page);
        await page.screenshot({ path: path.join(SHOTS, `forecast-band-${tf}-${vp.name}.png`) });
        expect(band.top).toBeGreaterThan(band.height * 0.03);
        expect(band.bottom).toBeLessThan(band.height * 0.8); // above the volume bars
        expect(errors).toEqual([]);
        await close();
      }
    }, 180_000);

    it(`labels every figure on every chip, GARCH by QLIKE against the EWMA, at ${vp.name} px`, async () => {
      const { page, errors, close } = await open(vp, "/dashboard");
      const chips = page.locator(".model-toggle:not([data-layer])");
      expect(await chips.count()).toBe(4);
      const unlabelled = await chips.evaluateAll((els) =>
        els.flatMap((chip) =>
          Array.from(chip.querySelectorAll(".model-toggle__metric"))
            .filter((m) => {
              const word = m.querySelector(".model-toggle__word");
              return !word || word.getBoundingClientRect().width === 0 || !word.textContent?.trim();
            })
            .map((m) => `${chip.textContent}: ${m.textContent}`),
        ),
      );
      expect(unlabelled).toEqual([]);
      const outside = await chips.evaluateAll((els) =>
        els.filter((el) => el.getBoundingClientRect().right > window.innerWidth).map((el) => el.textContent),
      );
      expect(outside).toEqual([]);
      const garch = chips.filter({ hasText: "GARCH" });
      expect(await garch.textContent()).toMatch(/QLIKE\s*1\.183.*EWMA\s*1\.247.*p\s*0\.03/);
      expect(await garch.textContent()).not.toContain("skill");
      expect(await chips.filter({ hasText: "GRU" }).textContent()).toMatch(
        /votes.*skill\s*\+3\.40%.*p\s*0\.004/,
      );
      expect(await chips.filter({ hasText: "ARIMA" }).locator(".model-toggle__vote").count()).toBe(0);
      await page
        .locator(".model-toggles")
        .first()
        .screenshot({ path: path.join(SHOTS, `chips-${vp.name}.png`) });
      expect(errors).toEqual([]);
      await close();
    }, 60_000);

    it(`shows the volatility model's 24 h range with its measured coverage at ${vp.name} px`, async () => {
      const { page, errors, close } = await open(vp, "/dashboard");
      const card = page.locator(".range-card");
      const range = model("garch").range!;
      const d = priceDecimals(range.upper, 0.01);
      await card.locator(".range__band").waitFor();
      expect(await card.locator(".range__band").textContent()).toBe(
        `${formatFixed(range.lower, d)} – ${formatFixed(range.upper, d)}`,
      );
      expect(await card.getByRole("heading").textContent()).toBe("Next 24 h range");
      const text = await card.textContent();
      expect(text).toContain(
        "close at 2024-03-12 00:00 UTC, 24 h after the forecast made at 2024-03-11 00:00 UTC",
      );
      expect(text).toContain("GARCH(1,1)");
      expect(text).toMatch(/Held\s*rolling evaluation\s*94\.3%\s*of 1,236/);
      // Live: the ledger's GARCH entries scored at their 24th hour.
      const live = await page.evaluate(() =>
        fetch("/api/instruments/BTCUSDT/track-record", {
          headers: { Authorization: "Bearer user-token" },
        }).then((r) => r.json()),
      );
      const garch = live.models.find((m: { model_type: string }) => m.model_type === "garch");
      const h24 = garch.horizons.find((h: { horizon: number }) => h.horizon === 24);
      expect(h24.range_n).toBeGreaterThan(0);
      expect(text).toContain(
        `live, in the ledger${formatPct(h24.range_coverage, 1, false)} of ${h24.range_n}`,
      );
      await card.screenshot({ path: path.join(SHOTS, `range-${vp.name}.png`) });
      expect(errors).toEqual([]);
      await close();
    }, 60_000);
  }
});
