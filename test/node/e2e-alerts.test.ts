// Alerts in a browser, at desktop (1440) and phone (390) width, on the mocked API (test/e2e/): a trader
// sets an alert under the chart, a minute arrives over the live socket that crosses it (evaluated with
// the real crossing rules, test/e2e/alerts-mock.ts), its notification comes over the user's channel,
// and the bell counts it and a toast shows it; the service worker that shows Web Push alerts is
// registered; the profile lists the alert and deletes it. An alert on another instrument than the one
// shown reaches the page at once too, over the one channel the session opens. Runs web/dist.
import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alertsState, answerAlerts, fire } from "../e2e/alerts-mock";
import { mockDashboard, signIn } from "../e2e/dashboard-fixture";
import { serveBuiltApp } from "../e2e/static-server";

const SHOTS = path.resolve(import.meta.dirname, "../../.tmp/screens");
const DESKTOP = { name: "1440", width: 1440, height: 900 };
const PHONE = { name: "390", width: 390, height: 844 };

let browser: Browser;
let close: (() => Promise<void>) | undefined;
let origin: string;

/** A signed-in dashboard at `vp` with this test's own alerts state, routed ahead of the shared mock's. */
async function openDashboard(vp: { width: number; height: number }) {
  const context = await browser.newContext({ viewport: vp, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(e.message));
  page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
  const mock = await mockDashboard(page);
  const state = alertsState();
  await page.route(
    (url) => /^\/api\/(alerts|notifications|push)(\/|$)/.test(url.pathname),
    async (route) => {
      if (!(await answerAlerts(route, new URL(route.request().url()), state))) await route.fallback();
    },
  );
  await signIn(page);
  await page.goto(`${origin}/dashboard`);
  await page.waitForSelector(".chart__canvas canvas");
  const symbol = (await page.locator("#symbol-title").textContent()) ?? "";
  return { context, page, errors, mock, state, symbol };
}

const until = async (done: () => boolean) => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 50));
};

describe("alerts in a browser", () => {
  beforeAll(async () => {
    ({ origin, browser, close } = await serveBuiltApp());
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(() => close?.());

  it.each([DESKTOP, PHONE])(
    "an alert set under the chart fires on a crossing minute: bell and toast ($name)",
    async (vp) => {
      const { context, page, errors, mock, state, symbol } = await openDashboard(vp);

      // The service worker (Web Push) is registered and active.
      const sw = await page.evaluate(async () => (await navigator.serviceWorker.ready).active?.scriptURL);
      expect(sw).toBe(`${origin}/sw.js`);

      // Set "price closes above" just over the current price.
      const form = page.getByRole("form", { name: `New alert on ${symbol}` });
      const value = form.getByLabel("Alert value (price)");
      const price = Number(await value.inputValue());
      expect(price).toBeGreaterThan(0);
      const level = Math.round(price * 1.001 * 100) / 100;
      await value.fill(String(level));
      await form.getByRole("button", { name: "Set alert" }).click();
      await form.getByText(`Alert set on ${symbol}`).waitFor();
      expect(state.alerts).toMatchObject([{ symbol, kind: "price_above", value: level }]);
      expect(await page.getByTestId("bell-count").count()).toBe(0);

      // Two minutes arrive: one under the level (arms the alert), one over it (crosses).
      await until(() => mock.socket !== null && mock.channel !== null);
      expect(mock.socket).not.toBeNull();
      expect(mock.channel).not.toBeNull();
      for (const [i, close] of [price * 0.99, level * 1.002].entries()) {
        const candle = {
          time: mock.lastClose + i * 60,
          open: price,
          high: close,
          low: close,
          close,
          volume: 1,
        };
        mock.pushCandle(candle);
        fire(state, mock.channel, symbol, candle);
      }
      const toast = page.getByTestId("toast");
      await toast.waitFor();
      expect(await toast.textContent()).toContain(`${symbol} above ${level}`);
      expect(await page.getByTestId("bell-count").textContent()).toBe("1");
      await page.screenshot({ path: path.join(SHOTS, `alerts-toast-${vp.name}.png`) });

      // The bell lists it; marking read clears the count.
      await page.getByRole("button", { name: "Notifications: 1 unread" }).click();
      const panel = page.getByRole("dialog", { name: "Notifications" });
      await panel.getByText(`${symbol} above ${level}`).waitFor();
      await panel.getByRole("button", { name: "Mark all read" }).click();
      await page.getByTestId("bell-count").waitFor({ state: "detached" });
      await page.screenshot({ path: path.join(SHOTS, `alerts-bell-${vp.name}.png`) });

      // The profile lists the alert with its state, and deletes it.
      await page.getByRole("link", { name: "Profile" }).click();
      const card = page.locator(".card", { has: page.getByRole("heading", { name: "Alerts" }) });
      await card.getByText(`closes above ${level}`).waitFor();
      expect(await card.textContent()).toContain("1 of 50 alerts");
      await card.getByRole("button", { name: `Delete the ${symbol} alert` }).click();
      await card.getByText("No alerts yet").waitFor();
      expect(state.alerts).toEqual([]);
      expect(errors).toEqual([]);
      await context.close();
    },
    90_000,
  );

  it.each([DESKTOP, PHONE])(
    "viewing one instrument, an alert on another fires: bell and toast at once, over the session's one channel ($name)",
    async (vp) => {
      const { context, page, errors, mock, state, symbol } = await openDashboard(vp);
      const other = "ETHUSDT";
      expect(symbol).not.toBe(other);
      // An alert on ETHUSDT, set earlier.
      state.alerts.push({
        id: state.nextId,
        symbol: other,
        kind: "price_above",
        value: 2000,
        enabled: true,
        state: "waiting",
        last_fired_at: null,
        created_at: new Date().toISOString(),
      });
      state.armed.set(state.nextId++, null);
      await until(() => mock.socket !== null && mock.channel !== null);
      // The page holds the shown instrument's socket only: nothing of ETHUSDT's is open.
      expect(new URL(mock.socket!.url()).pathname).toBe(`/api/instruments/${symbol}/ws`);
      expect(mock.log.filter((l) => l.startsWith("WS ") && l.includes(`/${other}/`))).toEqual([]);

      // ETHUSDT's minutes close: one under 2000 (arms), one over it (crosses).
      for (const [i, close] of [1990, 2010].entries()) {
        const time = mock.lastClose + i * 60;
        fire(state, mock.channel, other, { time, open: close, high: close, low: close, close, volume: 1 });
      }
      const toast = page.getByTestId("toast");
      await toast.waitFor();
      expect(await toast.textContent()).toContain(`${other} above 2000`);
      expect(await page.getByTestId("bell-count").textContent()).toBe("1");
      expect(await page.locator("#symbol-title").textContent()).toBe(symbol);
      await page.screenshot({ path: path.join(SHOTS, `alerts-elsewhere-${vp.name}.png`) });

      // The channel is the session's: another page keeps it open, signing out closes it.
      await page.getByRole("link", { name: "Profile" }).click();
      await page.getByRole("heading", { name: "Alerts" }).waitFor();
      await page.getByRole("link", { name: "Dashboard" }).click();
      await page.waitForSelector(".chart__canvas canvas");
      const channels = () =>
        mock.log.filter((l) => l.startsWith("WS ") && l.includes("/api/notifications/ws"));
      expect(channels()).toHaveLength(1);
      expect(mock.channel).not.toBeNull();
      await page.getByRole("button", { name: "Sign out" }).click();
      await until(() => mock.channel === null);
      expect(mock.channel).toBeNull();
      expect(channels()).toHaveLength(1);
      expect(errors).toEqual([]);
      await context.close();
    },
    90_000,
  );
});
