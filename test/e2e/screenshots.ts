// Screenshots of every page at 1440 and 390 px against a mocked API built from real Binance candles.
// Run: npx vite build && npx tsx test/e2e/screenshots.ts   (PNGs land in .tmp/screens/)
// Also fails on CSP violations, console errors, and if scrolling left does not page older candles.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import { sampleDataDir } from "../../scripts/lib/binance-files";
import { launchChromium } from "../helpers/chromium";
import * as admin from "./admin-fixture";
import { adminTrackRecord, loadMarket, type Market, marketData } from "./market-fixture";
import { type ApiData, mockApi } from "./mock-api";
import { SCENES, type Scene } from "./scenes";
import { serveDist } from "./static-server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = path.join(ROOT, ".tmp/screens");

/** The whole API of the screenshots: the markets, their admin rows, and progress events on the socket. */
function screenData(markets: Market[]): ApiData {
  return {
    ...marketData(markets),
    profiles: admin.profiles(markets),
    dataStatus: (id) => {
      const m = markets[id - 1];
      return m && admin.dataStatus(m, id);
    },
    adminTrackRecord: (id) => {
      const m = markets[id - 1];
      return m && adminTrackRecord(m);
    },
    jobs: admin.jobs(),
    models: admin.models(markets),
    trainers: [{ id: "laptop-trainer", last_seen: new Date().toISOString(), job_id: 7 }],
    hubEvents: admin.progressEvents().map((event, i) => ({ afterMs: 300 + i * 250, event })),
  };
}

async function shoot(browser: Browser, origin: string, markets: Market[], scene: Scene): Promise<string[]> {
  const context = await browser.newContext({ viewport: scene.viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  // Scenes that make the API fail expect the browser's own "Failed to load resource" line.
  const expected = (text: string) =>
    Boolean(scene.instrumentsStatus) && text.startsWith("Failed to load resource");
  page.on(
    "console",
    (m) => m.type() === "error" && !expected(m.text()) && problems.push(`console: ${m.text()}`),
  );
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.clock.setFixedTime(admin.NOW_MS);
  const data = screenData(markets);
  if (scene.noInstruments) data.instruments = [];
  const { log } = await mockApi(page, data, { instrumentsStatus: scene.instrumentsStatus ?? null });
  await context.addInitScript(
    ({ user, admin }) => {
      if (user) {
        localStorage.setItem("mm.user.token", "user-token");
        localStorage.setItem("mm.user", JSON.stringify({ id: 7, email: "ada@desk.example" }));
      }
      if (admin) {
        localStorage.setItem("mm.admin.token", "admin-token");
        localStorage.setItem(
          "mm.admin",
          JSON.stringify({ id: 1, email: "ops@desk.example", name: "Grace Ops" }),
        );
      }
    },
    { user: Boolean(scene.user), admin: Boolean(scene.admin) },
  );
  await page.goto(origin + scene.url, { waitUntil: "networkidle" });
  await page.evaluate(() =>
    document.addEventListener("securitypolicyviolation", (e) => console.error(`CSP: ${e.violatedDirective}`)),
  );
  await scene.act?.(page, log);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(OUT, `${scene.name}.png`), fullPage: scene.fullPage });
  // Tall pages are also cut into viewport-sized parts, easier to inspect than one long strip.
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  if (scene.fullPage && height > scene.viewport.height * 1.6) {
    for (let y = 0, part = 1; y < height; y += scene.viewport.height, part++) {
      const clip = {
        x: 0,
        y,
        width: scene.viewport.width,
        height: Math.min(scene.viewport.height, height - y),
      };
      await page.screenshot({ path: path.join(OUT, `${scene.name}-part${part}.png`), fullPage: true, clip });
    }
  }
  await context.close();
  return problems.map((p) => `${scene.name}: ${p}`);
}

async function main(): Promise<void> {
  const dir = sampleDataDir();
  if (!dir) throw new Error("no sample data: set MONEYMONEY_SAMPLE_DATA or provide ../shared/data/binance");
  const markets = [
    loadMarket(dir, "BTCUSDT", "Bitcoin / Tether", /^BTCUSDT-1m-/, "binance"),
    loadMarket(dir, "ETHUSDT", "Ether / Tether (perp)", /^ETHUSDT-PERP-1m-/, "binanceusdm"),
  ];
  mkdirSync(OUT, { recursive: true });
  const { server, origin } = await serveDist(path.join(ROOT, "web/dist"));
  const browser = await launchChromium();
  const only = process.argv[2];
  const problems: string[] = [];
  try {
    for (const scene of SCENES.filter((s) => !only || s.name.includes(only))) {
      const started = Date.now();
      problems.push(...(await shoot(browser, origin, markets, scene)));
      console.log(`${scene.name.padEnd(26)} ${Date.now() - started} ms`);
    }
  } finally {
    await browser.close();
    server.close();
  }
  if (problems.length) {
    console.error(problems.join("\n"));
    process.exit(1);
  }
  console.log(`screenshots in ${path.relative(ROOT, OUT)}/`);
}

await main();
