// `npx tsx bench/demo-start.ts`: seconds from `npm run demo` (clean state folder) until the demo user's
// dashboard has four models' predictions, then the same for a second start on that state.
// Targets (issue 7): first <= 90 s, second <= 20 s. Set KEEP_WEB=1 to keep an existing web/dist build.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { startDemo, stopDemo } from "../test/helpers/demo-process";
import { freePort } from "./lib/local-worker";
import { logIn } from "./lib/user-api";

const ROOT = path.resolve(import.meta.dirname, "..");
const state = mkdtempSync(path.join(tmpdir(), "mm-demo-bench-"));

/** Polls as the dashboard would: login, instruments, predictions with four models. */
async function fourModels(base: string): Promise<boolean> {
  try {
    const { user } = JSON.parse(readFileSync(path.join(state, "demo.json"), "utf8"));
    const { token } = await logIn(base, user);
    const auth = { headers: { authorization: `Bearer ${token}` } };
    const list = (await (await fetch(`${base}/api/instruments`, auth)).json()) as { symbol: string }[];
    if (!list.some((i) => i.symbol === "SIMUSDT")) return false;
    const p = (await (await fetch(`${base}/api/instruments/SIMUSDT/predictions`, auth)).json()) as {
      models?: unknown[];
    };
    return (p.models?.length ?? 0) === 4;
  } catch {
    return false;
  }
}

async function start(label: string): Promise<number> {
  const port = await freePort();
  const t0 = performance.now();
  const demo = startDemo({ port, state });
  demo.ready.catch(() => {}); // timed by the predictions below, not by the ready line
  const base = `http://127.0.0.1:${port}`;
  while (!(await fourModels(base))) await new Promise((r) => setTimeout(r, 500));
  const seconds = (performance.now() - t0) / 1000;
  console.log(`${label}: ${seconds.toFixed(1)} s to four models' predictions for the demo user`);
  await stopDemo(demo.child);
  await new Promise((r) => setTimeout(r, 2000));
  return seconds;
}

if (!process.env.KEEP_WEB) rmSync(path.join(ROOT, "web/dist"), { recursive: true, force: true });
try {
  const first = await start("first start (clean state)");
  const second = await start("second start (same state)");
  console.log(JSON.stringify({ first_s: first, second_s: second }));
} finally {
  rmSync(state, { recursive: true, force: true });
}
