// Screenshots of every page at 1440 and 390 px against a mocked API built from real Binance candles.
// Run: npx vite build && npx tsx test/e2e/screenshots.ts   (PNGs land in .tmp/screens/)
// Also fails on CSP violations, console errors, and if scrolling left does not page older candles.
import { mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { type Browser, chromium, type Page } from "playwright-core";
import { sampleDataDir } from "../../scripts/lib/binance-files";
import { NOW_MS } from "./admin-fixture";
import { loadMarket, type Market } from "./market-fixture";
import { mockApi } from "./mock-api";
import { serveDist } from "./static-server";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const OUT = path.join(ROOT, ".tmp/screens");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"].concat([
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]);
const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

interface Scene {
  name: string;
  url: string;
  viewport: { width: number; height: number };
  user?: boolean;
  admin?: boolean;
  noInstruments?: boolean;
  instrumentsStatus?: number;
  fullPage?: boolean;
  act?: (page: Page, log: string[]) => Promise<void>;
}

async function waitForChart(page: Page): Promise<void> {
  await page.waitForSelector(".chart__canvas canvas", { timeout: 15_000 });
  await page.waitForFunction(() => !document.querySelector(".chart__overlay"), null, { timeout: 15_000 });
  await page.waitForSelector(".model-toggle", { timeout: 15_000 });
  await page.waitForTimeout(600);
}

async function scrollChartLeft(page: Page, log: string[]): Promise<void> {
  await waitForChart(page);
  const box = (await page.locator(".chart__canvas").boundingBox())!;
  const y = box.y + box.height / 2;
  const older = () => log.some((l) => l.includes("/data/") && l.includes("end="));
  for (let i = 0; i < 10 && !older(); i++) {
    await page.mouse.move(box.x + 100, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width - 80, y, { steps: 8 });
    await page.mouse.up();
    await page.waitForTimeout(150);
  }
  await page.waitForTimeout(800);
  if (process.env.DEBUG_SHOTS) await page.screenshot({ path: path.join(OUT, "debug-after-drag.png") });
  if (!older()) {
    throw new Error(`scrolling left loaded no older candles; API calls: ${log.join(", ")}`);
  }
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.4); // crosshair readout in the shot
}

const SCENES: Scene[] = [
  { name: "landing-1440", url: "/", viewport: WIDE, fullPage: true },
  { name: "landing-390", url: "/", viewport: PHONE, fullPage: true },
  { name: "auth-1440", url: "/auth", viewport: WIDE },
  { name: "auth-signup-390", url: "/auth?tab=signup", viewport: PHONE },
  {
    name: "dashboard-1440",
    url: "/dashboard",
    viewport: WIDE,
    user: true,
    fullPage: true,
    act: (p) => waitForChart(p),
  },
  {
    name: "dashboard-scrolled-1440",
    url: "/dashboard?tf=15m",
    viewport: WIDE,
    user: true,
    act: scrollChartLeft,
  },
  {
    name: "dashboard-1D-1440",
    url: "/dashboard?symbol=ETHUSDT&tf=1D",
    viewport: WIDE,
    user: true,
    act: (p) => waitForChart(p),
  },
  {
    name: "dashboard-390",
    url: "/dashboard",
    viewport: PHONE,
    user: true,
    fullPage: true,
    act: (p) => waitForChart(p),
  },
  { name: "dashboard-empty-1440", url: "/dashboard", viewport: WIDE, user: true, noInstruments: true },
  {
    name: "dashboard-error-1440",
    url: "/dashboard",
    viewport: WIDE,
    user: true,
    instrumentsStatus: 503,
    act: (p) => p.getByRole("heading", { name: "Markets are unavailable" }).waitFor(),
  },
  {
    name: "dashboard-expired-390",
    url: "/dashboard?tf=4h",
    viewport: PHONE,
    user: true,
    instrumentsStatus: 401,
    act: async (p) => {
      await p.waitForURL(/\/auth\?next=/);
      const next = new URL(p.url()).searchParams.get("next");
      if (next !== "/dashboard?tf=4h")
        throw new Error(`401 should lead to /auth?next=/dashboard?tf=4h, got ${p.url()}`);
    },
  },
  {
    name: "dashboard-toggle-1440",
    url: "/dashboard?tf=4h",
    viewport: WIDE,
    user: true,
    act: async (p) => {
      await waitForChart(p);
      const garch = p.getByRole("button", { name: /GARCH/ });
      await garch.click();
      await p.locator('.model-toggle[aria-pressed="false"]', { hasText: "GARCH" }).waitFor({ timeout: 5000 });
    },
  },
  { name: "profile-1440", url: "/profile", viewport: WIDE, user: true, fullPage: true },
  { name: "profile-390", url: "/profile", viewport: PHONE, user: true, fullPage: true },
  { name: "admin-login-1440", url: "/admin", viewport: WIDE },
  {
    name: "admin-bootstrap-390",
    url: "/admin",
    viewport: PHONE,
    act: (p) => p.getByRole("tab", { name: "First admin" }).click(),
  },
  {
    name: "admin-1440",
    url: "/admin",
    viewport: WIDE,
    admin: true,
    fullPage: true,
    act: async (p) => {
      await p.waitForSelector(".job");
      await p.getByRole("checkbox", { name: "Select BTCUSDT" }).check();
      await p.getByRole("button", { name: "Data status" }).first().click();
      await p.waitForSelector(".data-status");
      await p.locator(".params summary").first().click();
      await p.waitForTimeout(1500); // the socket's progress events
    },
  },
  {
    name: "admin-390",
    url: "/admin",
    viewport: PHONE,
    admin: true,
    fullPage: true,
    act: (p) => p.waitForSelector(".job").then(() => p.waitForTimeout(1200)),
  },
];

async function shoot(browser: Browser, origin: string, markets: Market[], scene: Scene): Promise<string[]> {
  const context = await browser.newContext({ viewport: scene.viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  const log: string[] = [];
  // Scenes that make the API fail expect the browser's own "Failed to load resource" line.
  const expected = (text: string) =>
    Boolean(scene.instrumentsStatus) && text.startsWith("Failed to load resource");
  page.on(
    "console",
    (m) => m.type() === "error" && !expected(m.text()) && problems.push(`console: ${m.text()}`),
  );
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  await page.clock.setFixedTime(NOW_MS);
  await mockApi(page, {
    markets,
    noInstruments: scene.noInstruments,
    instrumentsStatus: scene.instrumentsStatus,
    log,
  });
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
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
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
