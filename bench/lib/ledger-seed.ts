// N trained instruments for the ledger benchmark, written straight into a local state folder before the
// Worker starts: each synthetic symbol's minutes of today from the replay exchange (its own price
// chain), 30 days of hourly history before them (a seeded random walk ending at today's first open),
// and four active model versions. The versions share four artifacts (an ARIMA and a GARCH fitted by
// hand, a CNN and a GRU with seeded weights): the forecasts are computed by the real code from each
// instrument's own candles, which is what the ledger's step costs; who trained the weights does not.

import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { aggregate } from "../../core/candles/aggregate";
import type { Candle } from "../../core/candles/types";
import { syntheticSymbol } from "../../scripts/sim/synthetic";
import { seededNetArtifact } from "../../test/helpers/net-artifact";
import { ROOT } from "./local-worker";

const HOUR = 3600;
const HISTORY_HOURS = 30 * 24;

/** A small seeded generator (mulberry32) and a normal draw from it. */
function normals(seed: number) {
  let a = seed >>> 0;
  const u = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
  return () => Math.sqrt(-2 * Math.log(u() + 1e-12)) * Math.cos(2 * Math.PI * u());
}

/** Hourly candles for the `hours` hours before `firstOpen`'s time, walking back from its open. */
function history(firstTime: number, firstOpen: number, hours: number, seed: number): Candle[] {
  const z = normals(seed);
  const out: Candle[] = [];
  let close = firstOpen;
  for (let h = 1; h <= hours; h++) {
    const open = close * Math.exp(0.006 * z());
    const wick = 1 + 0.002 * Math.abs(z());
    const high = Math.max(open, close) * wick;
    const low = Math.min(open, close) / wick;
    out.push({ time: firstTime - h * HOUR, open, high, low, close, volume: 100 + 50 * Math.abs(z()) });
    close = open;
  }
  return out.reverse();
}

/** 1m candles of `symbol` from the replay exchange, [from, to] inclusive. */
async function minutes(replay: string, symbol: string, from: number, to: number): Promise<Candle[]> {
  const out: Candle[] = [];
  for (let start = from; start <= to; ) {
    const q = `symbol=${symbol}&interval=1m&startTime=${start * 1000}&endTime=${to * 1000}&limit=1000`;
    const rows = (await (await fetch(`${replay}/api/v3/klines?${q}`)).json()) as (string | number)[][];
    if (!rows.length) break;
    for (const r of rows)
      out.push({
        time: Number(r[0]) / 1000,
        open: Number(r[1]),
        high: Number(r[2]),
        low: Number(r[3]),
        close: Number(r[4]),
        volume: Number(r[5]),
      });
    start = (out.at(-1) as Candle).time + 60;
  }
  return out;
}

const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

/** The four artifacts, uploaded once to the local bucket; their keys, digests and sizes. */
async function uploadArtifacts(persistTo: string, hourly: readonly Candle[]) {
  const artifacts: Record<string, Uint8Array> = {
    arima: json({ kind: "arima", order: [1, 1, 0], ar: [0.05], ma: [], const: 0, sigma2: 3.6e-5 }),
    garch: json({ kind: "garch", mu: 0, omega: 0.02, alpha: 0.08, beta: 0.9, backcast: 0.36 }),
    cnn_pattern: await seededNetArtifact("cnn_pattern", hourly),
    gru_attention: await seededNetArtifact("gru_attention", hourly),
  };
  const out: { type: string; key: string; sha256: string; bytes: number }[] = [];
  for (const [type, bytes] of Object.entries(artifacts)) {
    const key = `models/BENCH/${type}/job-0-a1.bin`;
    const file = path.join(persistTo, `${type}.bin`);
    writeFileSync(file, bytes);
    const r = spawnSync(
      "npx",
      [
        "wrangler",
        "r2",
        "object",
        "put",
        `moneymoney/${key}`,
        "--local",
        "--persist-to",
        persistTo,
        "--file",
        file,
      ],
      { cwd: ROOT, encoding: "utf8" },
    );
    if (r.status !== 0) throw new Error(`r2 put ${key}: ${r.stderr.slice(-400)}`);
    out.push({ type, key, sha256: createHash("sha256").update(bytes).digest("hex"), bytes: bytes.length });
  }
  return out;
}

function d1File(persistTo: string) {
  const dir = path.join(persistTo, "v3", "d1", "miniflare-D1DatabaseObject");
  const file = readdirSync(dir).find((f) => /^[0-9a-f]{64}\.sqlite$/.test(f));
  if (!file) throw new Error(`no D1 database under ${dir}`);
  return path.join(dir, file);
}

/**
 * Profiles 1..n (SIM0001USDT...), trained, with candles through `through` (a minute) from today's UTC
 * start and hourly history before; the state's migrations must be applied and the Worker stopped.
 */
export async function seedTrainedInstruments(persistTo: string, replay: string, n: number, through: number) {
  const dayStart = through - (through % 86_400);
  const db = new DatabaseSync(d1File(persistTo));
  const now = Math.floor(Date.now() / 1000);
  let artifacts: Awaited<ReturnType<typeof uploadArtifacts>> | undefined;
  const candle = db.prepare(
    "insert into candles (profile_id, time, open, high, low, close, volume) values (?, ?, ?, ?, ?, ?, ?)",
  );
  const rollup = db.prepare(
    "insert into candle_rollups (profile_id, timeframe, time, open, high, low, close, volume) values (?, '1h', ?, ?, ?, ?, ?, ?)",
  );
  const model = db.prepare(
    `insert into ml_models (profile_id, model_type, version, status, active, job_id, trained_at, trained_on,
       parameters, metrics, artifact_key, artifact_sha256, artifact_bytes) values (?, ?, 1, 'ready', 1, 0, ?, ?, '{}', ?, ?, ?, ?)`,
  );
  for (let i = 1; i <= n; i++) {
    const symbol = syntheticSymbol(i);
    const today = await minutes(replay, symbol, dayStart, through);
    if (!today.length) throw new Error(`the replay has no minutes of ${symbol} today`);
    const hourly = [...history(dayStart, today[0].open, HISTORY_HOURS, i), ...aggregate(today, "1h")];
    artifacts ??= await uploadArtifacts(persistTo, hourly);
    db.exec("begin");
    db.prepare(
      "insert into trading_profiles (id, symbol, name, profile_type, has_data, models_trained, last_data_update) values (?, ?, ?, 'crypto', 1, 1, ?)",
    ).run(i, symbol, symbol, now);
    for (const c of today) candle.run(i, c.time, c.open, c.high, c.low, c.close, c.volume);
    for (const c of hourly) rollup.run(i, c.time, c.open, c.high, c.low, c.close, c.volume);
    const trainedOn = JSON.stringify({ timeframe: "1h", from: hourly[0].time, to: dayStart });
    // No model has shown skill (DM p 0.5): the signal holds, as on a market with nothing to predict.
    const metrics = JSON.stringify({
      timeframe: "1h",
      horizon: 1,
      skill: 0,
      dm_pvalue: 0.5,
      mae: 1,
      naive_mae: 1,
    });
    for (const a of artifacts) model.run(i, a.type, now, trainedOn, metrics, a.key, a.sha256, a.bytes);
    db.exec("commit");
  }
  db.close();
}
