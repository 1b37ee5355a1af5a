// The pages and states the screenshot run visits, with the interactions and checks each one makes.
import type { Page } from "playwright-core";

const WIDE = { width: 1440, height: 900 };
const PHONE = { width: 390, height: 844 };

export interface Scene {
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
  if (!older()) {
    throw new Error(`scrolling left loaded no older candles; API calls: ${log.join(", ")}`);
  }
  await page.mouse.move(box.x + box.width * 0.55, box.y + box.height * 0.4); // crosshair readout in the shot
}

export const SCENES: Scene[] = [
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
      // The socket's progress events move job 42 from the polled 62% to 67%.
      await p.locator('[role="progressbar"][aria-label="Job 42 progress"][aria-valuenow="67"]').waitFor();
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
