// Alerts in a browser, at desktop (1440) and phone (390) width, on the mocked API (test/e2e/): a trader
// sets an alert under the chart, a minute arrives over the live socket that crosses it (evaluated with
// the real crossing rules, test/e2e/alerts-mock.ts), and the bell counts it and a toast shows it; the
// service worker that shows Web Push alerts is registered; the profile lists the alert and deletes it.
// Runs the built web app (web/dist).
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

describe("alerts in a browser", () => {
  beforeAll(async () => {
    ({ origin, browser, close } = await serveBuiltApp());
    mkdirSync(SHOTS, { recursive: true });
  }, 60_000);
  afterAll(() => close?.());

  it.each([DESKTOP, PHONE])(
    "an alert set under the chart fires on a crossing minute: bell and toast ($name)",
    async (vp) => {
      const context = await browser.newContext({ viewport: vp, deviceScaleFactor: 1 });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
      const mock = await mockDashboard(page);
      // This test's own alerts state, routed ahead of the shared mock's.
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
      for (let i = 0; i < 200 && !mock.socket; i++) await new Promise((r) => setTimeout(r, 50));
      expect(mock.socket).not.toBeNull();
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
        fire(state, mock.socket, symbol, candle);
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
});
