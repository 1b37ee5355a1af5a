// `npx tsx bench/live-latency.ts`: the time from a 1m candle's close to its drawing on a user's
// dashboard, over the demo's real pieces (exchange simulator in real time, wrangler dev, the minute cron
// tick, the InstrumentFeed Durable Object, Chromium). Per minute it records when the dashboard drew
// the new candle (the page's "mm:live-candle" performance mark) and when a plain socket of the same
// feed got it, minus the candle's close; prints median and p90 over MINUTES (default 6) minutes.
// Target (issue 11): median <= 5 s. Env: MINUTES, CHROMIUM_PATH.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { launchChromium } from "../test/helpers/chromium";
import { startDemo, stopDemo } from "../test/helpers/demo-process";
import { freePort } from "./lib/local-worker";
import { median, percentile } from "./lib/stats";
import { logIn } from "./lib/user-api";

const MINUTES = Number(process.env.MINUTES ?? 6);
const SYMBOL = "SIMUSDT";
// web/src/lib/candle-feed.ts's LIVE_CANDLE_MARK (not imported: that module needs a browser).
const LIVE_CANDLE_MARK = "mm:live-candle";
const state = mkdtempSync(path.join(tmpdir(), "mm-live-bench-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

async function json(base: string, method: string, p: string, token?: string, body?: unknown) {
  const res = await fetch(`${base}${p}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { "content-type": "application/json" } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A socket of the same feed opened from Node: when the server pushed each candle (no browser in it). */
async function listen(base: string, token: string, pushed: Map<number, number>) {
  const { ticket } = await json(base, "POST", "/api/instruments/ws/ticket", token);
  const ws = new WebSocket(`${base.replace("http", "ws")}/api/instruments/${SYMBOL}/ws?ticket=${ticket}`);
  ws.addEventListener("message", (m) => {
    const e = JSON.parse(String(m.data));
    if (e.type === "candle" && !pushed.has(e.candle.time)) pushed.set(e.candle.time, Date.now());
  });
  return ws;
}

const port = await freePort();
const { child: demo, ready } = startDemo({ port, state, env: { DEMO_TRAINERS: "1" } });
const { user, seconds } = await ready;
const base = `http://127.0.0.1:${port}`;
console.log(`demo ready in ${seconds.toFixed(1)} s on ${base}`);
const browser = await launchChromium();
try {
  const login = await logIn(base, user);
  const pushed = new Map<number, number>();
  const ws = await listen(base, login.token, pushed);

  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  await page.addInitScript(
    ({ token, me }) => {
      localStorage.setItem("mm.user.token", token);
      localStorage.setItem("mm.user", JSON.stringify(me));
    },
    { token: login.token, me: login.user },
  );
  await page.goto(`${base}/dashboard?symbol=${SYMBOL}&tf=1m`, { waitUntil: "networkidle" });

  const drawn = new Map<number, number>();
  const end = Date.now() + (MINUTES * 60 + 10) * 1000;
  while (Date.now() < end) {
    const mark = await page.evaluate((name) => {
      const m = performance.getEntriesByName(name).at(-1) as PerformanceMark | undefined;
      return m
        ? { time: (m.detail as { time: number }).time, wall: performance.timeOrigin + m.startTime }
        : null;
    }, LIVE_CANDLE_MARK);
    if (mark && !drawn.has(mark.time)) {
      drawn.set(mark.time, mark.wall);
      const close = (mark.time + 60) * 1000;
      const viaSocket = pushed.get(mark.time);
      console.log(
        `${new Date(mark.time * 1000).toISOString().slice(11, 16)} candle: pushed ${viaSocket ? fmt(viaSocket - close) : "?"} after its close, drawn ${fmt(mark.wall - close)}`,
      );
    }
    await sleep(250);
  }
  ws.close();

  const times = [...drawn.keys()];
  const toDraw = times.map((t) => drawn.get(t)! - (t + 60) * 1000);
  const toPush = times.filter((t) => pushed.has(t)).map((t) => pushed.get(t)! - (t + 60) * 1000);
  const inBrowser = times.filter((t) => pushed.has(t)).map((t) => drawn.get(t)! - pushed.get(t)!);
  const summary = {
    minutes: times.length,
    close_to_drawn_median_s: median(toDraw) / 1000,
    close_to_drawn_p90_s: percentile(toDraw, 90) / 1000,
    close_to_pushed_median_s: median(toPush) / 1000,
    pushed_to_drawn_median_ms: median(inBrowser),
  };
  console.log(
    `close -> drawn over ${times.length} minutes: median ${fmt(summary.close_to_drawn_median_s * 1000)}, p90 ${fmt(summary.close_to_drawn_p90_s * 1000)} (target <= 5 s median)`,
  );
  console.log(
    `  of which close -> pushed by the InstrumentFeed: median ${fmt(median(toPush))}; pushed -> drawn in the page: median ${median(inBrowser).toFixed(0)} ms`,
  );
  console.log(JSON.stringify(summary));
  if (times.length < 5) process.exitCode = 1;
} finally {
  await browser.close();
  await stopDemo(demo);
  rmSync(state, { recursive: true, force: true });
}
