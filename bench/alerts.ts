// Alerts at scale under `wrangler dev`: N instruments (the replay's synthetic SIM0001USDT...) collected by
// the every-minute cron through the COLLECT_QUEUE, once with no alert and once with A alerts (10 per
// instrument by default: price levels and moves that stay quiet, spread over A/50 accounts), plus F
// alerts chosen from the replay's own candles to cross on the last collected minute, whose owners have
// a push subscription at a local push service (test/helpers/push-service.ts: checks VAPID, decrypts).
// Prints per configuration the steady minutes' wall time (cron tick until every shard logged) and the
// workerd CPU they used, so the difference is what alerts add to a minute's collection; and for the
// crossing minute the time from the tick to each push received (an upper bound of candle stored to push
// received: the candle is stored during the tick) and from the tick to the end of collection.
// Run: npx tsx bench/alerts.ts [--instruments 1000] [--alerts 10000] [--fire 50] [--ticks 3] [--baseline false]
import { spawnSync } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { startReplayServer } from "../scripts/replay/server";
import { syntheticSymbol } from "../scripts/sim/synthetic";
import { startPushService } from "../test/helpers/push-service";
import { bundleWorker, freePort, prepareState, ROOT, startLocalWorker } from "./lib/local-worker";
import { groupCpu } from "./lib/proc-cpu";
import { median, percentile } from "./lib/stats";

const { values } = parseArgs({
  options: {
    instruments: { type: "string", default: "1000" },
    alerts: { type: "string", default: "10000" },
    fire: { type: "string", default: "50" },
    ticks: { type: "string", default: "3" },
    // "false": only the run with alerts (the latency figures).
    baseline: { type: "string", default: "true" },
  },
});
const N = Number(values.instruments);
const A = Number(values.alerts);
const F = Number(values.fire);
const TICKS = Number(values.ticks);
const PER_ACCOUNT = 50;
const TICK_TIMEOUT_MS = 300_000;

function vapid() {
  const jwk = generateKeyPairSync("ec", { namedCurve: "prime256v1" }).privateKey.export({ format: "jwk" });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x as string, "base64url"),
    Buffer.from(jwk.y as string, "base64url"),
  ]);
  return {
    VAPID_PUBLIC_KEY: point.toString("base64url"),
    VAPID_PRIVATE_KEY: jwk.d as string,
    PUSH_ALLOW_LOOPBACK: "true",
  };
}

function d1File(persistTo: string, sql: string[]) {
  const file = path.join(persistTo, "seed.sql");
  writeFileSync(file, sql.join("\n"));
  const r = spawnSync(
    "npx",
    ["wrangler", "d1", "execute", "DB", "--local", "--persist-to", persistTo, "--file", file, "--yes"],
    {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  if (r.status !== 0) throw new Error(`d1 execute failed: ${r.stderr.slice(-500)}`);
}

/** Waits until the log shows every shard of the tick collecting `minute`. */
async function waitShards(logFile: string, minute: number, t0: number) {
  const iso = new Date(minute * 1000).toISOString();
  const line = new RegExp(`collect shard (\\d+)/(\\d+) of ${iso}: `, "g");
  for (;;) {
    const seen = new Set<number>();
    let of = 0;
    for (const m of readFileSync(logFile, "utf8").matchAll(line)) {
      seen.add(Number(m[1]));
      of = Number(m[2]);
    }
    if (of && seen.size === of) return performance.now() - t0;
    if (performance.now() - t0 > TICK_TIMEOUT_MS)
      throw new Error(`tick ${iso}: ${seen.size} of ${of} shards`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function closes(replayUrl: string, symbol: string, from: number, n: number) {
  const res = await fetch(
    `${replayUrl}/api/v3/klines?symbol=${symbol}&interval=1m&startTime=${from * 1000}&limit=${n}`,
  );
  return ((await res.json()) as [number, string, string, string, string][]).map((k) => Number(k[4]));
}

async function run(withAlerts: boolean, bundle: Awaited<ReturnType<typeof bundleWorker>>) {
  const state = mkdtempSync(path.join(tmpdir(), "mm-alerts-bench-"));
  const replay = await startReplayServer({ synthetic: N, port: 0, log: () => {} });
  const push = await startPushService();
  try {
    const seed = Math.floor(Date.now() / 60_000) * 60 - (TICKS + 3) * 60;
    const minutes = Array.from({ length: TICKS + 1 }, (_, k) => seed + 60 * (k + 1));
    const last = minutes.at(-1) as number;
    const vars = { EXCHANGE_BASE_URL: replay.url, ...vapid() };
    await prepareState(state, vars);
    const sql: string[] = [];
    for (let i = 1; i <= N; i++) {
      const s = syntheticSymbol(i);
      sql.push(
        `insert into trading_profiles (id, symbol, name, profile_type, has_data, models_trained) values (${i}, '${s}', '${s}', 'crypto', 1, 1);`,
      );
      sql.push(
        `insert into candles (profile_id, time, open, high, low, close, volume) values (${i}, ${seed}, 1, 1, 1, 1, 1);`,
      );
    }
    const fired: { symbol: string; endpoint: string }[] = [];
    if (withAlerts) {
      const accounts = Math.ceil(A / PER_ACCOUNT) + F;
      for (let u = 1; u <= accounts; u++)
        sql.push(`insert into users (id, email, password_hash) values (${u}, 'bench${u}@example.com', 'x');`);
      // Quiet alerts: levels far away and big moves, already armed (a steady minute, not the first look).
      const kinds = ["price_above", "price_below", "change_pct"];
      for (let a = 0; a < A; a++) {
        const kind = kinds[a % 3];
        const value = kind === "price_above" ? 1e12 : kind === "price_below" ? 1e-9 : 90;
        sql.push(
          `insert into alerts (user_id, profile_id, kind, value, armed) values (${1 + Math.floor(a / PER_ACCOUNT)}, ${1 + (a % N)}, '${kind}', ${value}, 1);`,
        );
      }
      // Crossing alerts: instruments whose last collected close is above every earlier one of the run.
      for (let i = 1; i <= N && fired.length < F; i++) {
        const cs = await closes(replay.url, syntheticSymbol(i), minutes[0], minutes.length);
        const before = Math.max(...cs.slice(0, -1));
        const end = cs.at(-1) as number;
        if (cs.length !== minutes.length || !(end > before)) continue;
        const user = Math.ceil(A / PER_ACCOUNT) + fired.length + 1;
        const level = (before + end) / 2;
        sql.push(
          `insert into alerts (user_id, profile_id, kind, value, armed) values (${user}, ${i}, 'price_above', ${level}, 1);`,
        );
        const b = (await (await fetch(`${push.url}/subscribe`, { method: "POST" })).json()) as {
          endpoint: string;
          keys: { p256dh: string; auth: string };
        };
        sql.push(
          `insert into push_subscriptions (user_id, endpoint, p256dh, auth) values (${user}, '${b.endpoint}', '${b.keys.p256dh}', '${b.keys.auth}');`,
        );
        fired.push({ symbol: syntheticSymbol(i), endpoint: b.endpoint });
      }
    }
    d1File(state, sql);
    const worker = await startLocalWorker({
      bundle,
      port: await freePort(),
      persistTo: state,
      vars,
      extraArgs: ["--test-scheduled"],
    });
    const ticks: { wall: number; cpu: number }[] = [];
    let crossing = {
      collectedMs: 0,
      pushMs: [] as number[],
      storedMs: [] as number[],
      decrypted: 0,
      vapidOk: 0,
    };
    try {
      for (const minute of minutes) {
        const cpu0 = groupCpu(worker.pgid).workerd;
        const t0 = performance.now();
        const wall0 = Date.now();
        const res = await fetch(
          `${worker.base}/cdn-cgi/local/scheduled?cron=*+*+*+*+*&time=${(minute + 60) * 1000}`,
        );
        if (!res.ok) throw new Error(`scheduled answered ${res.status}`);
        const wall = await waitShards(worker.logFile, minute + 60, t0);
        ticks.push({ wall, cpu: groupCpu(worker.pgid).workerd - cpu0 });
        if (minute !== last || fired.length === 0) continue;
        // The pushes of the crossing minute, as the local push service received them.
        const got = async () =>
          Promise.all(
            fired.map(
              async (f) =>
                (await (await fetch(`${push.url}/messages/${f.endpoint.split("/").at(-1)}`)).json()) as {
                  received: { at: number; payload: string | null; vapid: { ok: boolean } }[];
                },
            ),
          );
        let boxes = await got();
        for (let i = 0; i < 600 && boxes.some((b) => b.received.length === 0); i++) {
          await new Promise((r) => setTimeout(r, 100));
          boxes = await got();
        }
        const first = boxes.flatMap((b) => b.received.slice(0, 1));
        crossing = {
          collectedMs: wall,
          pushMs: first.map((r) => r.at - wall0),
          // From the notification's created_at (D1's unixepoch(), whole seconds: up to 1 s too long),
          // stored in the same feed call that evaluated the stored candle.
          storedMs: first.map((r) => r.at - Date.parse(JSON.parse(r.payload ?? "{}").created_at)),
          decrypted: first.filter((r) => r.payload?.includes('"kind":"price_above"')).length,
          vapidOk: first.filter((r) => r.vapid.ok).length,
        };
      }
    } finally {
      await worker.stop();
    }
    return { ticks, crossing, fired: fired.length };
  } finally {
    await push.close();
    await replay.close();
    if (!process.env.KEEP_STATE) rmSync(state, { recursive: true, force: true });
  }
}

const out = mkdtempSync(path.join(tmpdir(), "mm-alerts-bundle-"));
const bundle = await bundleWorker(out);
const load = () =>
  loadavg()
    .map((x) => x.toFixed(2))
    .join(" ");
console.log(
  `load before: ${load()} (2 cores, shared); ${N} instruments, ${TICKS + 1} minutes each (the first warms up)`,
);
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const results = [];
for (const withAlerts of values.baseline === "false" ? [true] : [false, true]) {
  const r = await run(withAlerts, bundle);
  const steady = r.ticks.slice(1);
  const wall = median(steady.map((t) => t.wall));
  const cpu = median(steady.map((t) => t.cpu));
  results.push({ withAlerts, wall, cpu });
  console.log(
    `${withAlerts ? `${A} quiet + ${r.fired} crossing alerts` : "no alerts"}: steady minutes wall ${steady.map((t) => s(t.wall)).join(", ")} (median ${s(wall)}), workerd CPU ${steady.map((t) => s(t.cpu)).join(", ")} (median ${s(cpu)}); warm-up ${s(r.ticks[0].wall)}`,
  );
  if (withAlerts && r.crossing.pushMs.length) {
    const p = r.crossing.pushMs;
    console.log(
      `crossing minute: ${p.length} of ${r.fired} pushes received (${r.crossing.decrypted} decrypted to the alert, ${r.crossing.vapidOk} with a valid VAPID header); tick to push received median ${s(median(p))}, p90 ${s(percentile(p, 90))}; tick to collection done ${s(r.crossing.collectedMs)}; notification stored (whole seconds) to push received median ${s(median(r.crossing.storedMs))}, p90 ${s(percentile(r.crossing.storedMs, 90))}`,
    );
  }
}
const [base, alerts] = results;
if (alerts)
  console.log(
    `added by alerts per minute: wall ${s(alerts.wall - base.wall)}, workerd CPU ${s(alerts.cpu - base.cpu)}`,
  );
console.log(`load after: ${load()}`);
rmSync(out, { recursive: true, force: true });
