// What a year of one instrument's forecast ledger costs in bytes: 8,760 hours x (four model entries and
// the signal's), built as the Worker builds them (24-hour paths and bands at 10 significant digits, the
// volatility model's per-hour sd, EWMA benchmark and range), chained, and stored in the InstrumentLedger's
// own SQLite schema (node:sqlite: the same engine as a Durable Object's storage), with the year's tallies
// and paper equity; plus the CPU of an hourly tick's scoring. Run: npx tsx bench/ledger-size.ts [--days 365]
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DatabaseSync } from "node:sqlite";
import { parseArgs } from "node:util";
import { chainEntry, compact, type LedgerDraft, type LedgerEntry } from "../core/ledger/entry";
import { NEW_TALLIES, scoreWindow } from "../core/ledger/replay";
import type { HourBar } from "../core/ledger/score";
import { SimMarket } from "../scripts/sim/generator";
import { dedupeKey } from "../worker/ledger/dedupe";
import { LEDGER_SCHEMA } from "../worker/ledger/schema";

const { values } = parseArgs({ options: { days: { type: "string", default: "365" } } });
const days = Number(values.days);
const H = 3600;
const market = new SimMarket("ledger-size", {}, 2);
const start = Date.parse("2025-01-01T00:00:00Z");
const bars: HourBar[] = [];
for (let h = 0; h < days * 24 + 25; h++) {
  const open = market.candle(start + h * H * 1000).open;
  const close = market.candle(start + (h * H + H - 60) * 1000).close;
  bars.push({ time: start / 1000 + h * H, open, close });
}

function drafts(h: number): LedgerDraft[] {
  const origin = bars[h].time;
  const last = bars[h].close;
  const base = {
    symbol: "BTCUSDT",
    made_at: new Date((origin + H + 31) * 1000).toISOString(),
    origin,
    last_close: compact(last),
  };
  const path = (drift: number, sd: number, sigma: boolean) =>
    Array.from({ length: 24 }, (_, k) => {
      const value = last * Math.exp(drift * Math.min(k + 1, 3));
      const half = 1.96 * sd * Math.sqrt(k + 1);
      return {
        time: origin + (k + 1) * H,
        value: compact(value),
        lower: compact(value * Math.exp(-half)),
        upper: compact(value * Math.exp(half)),
        ...(sigma ? { sigma: compact(sd * (1 + 0.01 * k)) } : {}),
      };
    });
  const model = (model_type: string, drift: number, sigma = false) => ({
    ...base,
    kind: "forecast" as const,
    model_type,
    model_version: 3,
    artifact_sha256: "5d41402abc4b2a76b9719d911017c592".repeat(2),
    forecast: path(drift, 0.0047 + 0.0003 * Math.sin(h), sigma),
  });
  return [
    model("arima", 0.00012 * Math.sin(h / 7)),
    {
      ...model("garch", 0, true),
      ewma_sigma: compact(0.0046),
      range: { hours: 24, lower: compact(last * 0.96), upper: compact(last * 1.04) },
    },
    model("gru_attention", -0.00021 * Math.cos(h / 5)),
    model("cnn_pattern", 0.00008 * Math.sin(h / 3)),
    {
      ...base,
      kind: "signal",
      model_type: "signal",
      model_version: null,
      artifact_sha256: null,
      forecast: [],
      signal: {
        signal: "hold",
        confidence: compact(0.5312),
        expected: compact(0.00041),
        score: compact(0.087),
        voters: ["arima"],
        models: "arima:3,cnn_pattern:3,garch:3,gru_attention:3",
      },
    },
  ];
}

const dir = mkdtempSync(path.join(tmpdir(), "ledger-size-"));
const file = path.join(dir, "ledger.sqlite");
const db = new DatabaseSync(file);
db.exec(LEDGER_SCHEMA);
const insert = db.prepare(
  "INSERT INTO entries (seq, origin, kind, model_type, dedupe, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
);
const equity = db.prepare("INSERT OR REPLACE INTO equity VALUES (?, ?, ?)");
const meta = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
let head: LedgerEntry | null = null;
let json = 0;
const tallies = NEW_TALLIES();
const recent: LedgerEntry[] = [];
const tickMs: number[] = [];
const t0 = performance.now();
for (let h = 0; h < days * 24; h++) {
  db.exec("BEGIN");
  for (const d of drafts(h)) {
    const e: LedgerEntry = await chainEntry(head, d);
    head = e;
    const body = JSON.stringify(e);
    json += body.length;
    insert.run(e.seq, e.origin, e.kind, e.model_type, dedupeKey(e), body, e.hash);
    recent.push(e);
  }
  while (recent.length && recent[0].origin < bars[h].time - 25 * H) recent.shift();
  const s = performance.now();
  const { equity: points } = scoreWindow(tallies, recent, bars.slice(Math.max(0, h - 1), h + 1));
  tickMs.push(performance.now() - s);
  for (const p of points) equity.run(p.time, p.value, p.buy_and_hold);
  meta.run("tallies", JSON.stringify(tallies));
  meta.run("counts", JSON.stringify({ head: { seq: head?.seq, hash: head?.hash } }));
  db.exec("COMMIT");
}
const seconds = (performance.now() - t0) / 1000;
db.close();
const bytes = statSync(file).size;
rmSync(dir, { recursive: true, force: true });
tickMs.sort((a, b) => a - b);
const perYear = (bytes * 365) / days;
console.log(
  `${days} days: ${head?.seq.toLocaleString("en-US")} entries, ${(json / 1e6).toFixed(1)} MB of entry JSON, SQLite file ${(bytes / 1e6).toFixed(1)} MB (${(bytes / (head?.seq ?? 1)).toFixed(0)} B an entry)`,
);
console.log(
  `a year: ${(perYear / 1e6).toFixed(0)} MB per instrument; 1,000 instruments ${((perYear * 1000) / 1e9).toFixed(0)} GB a year, each in its own Durable Object (10 GB each: ${(10e9 / perYear).toFixed(0)} years before one fills)`,
);
console.log(
  `tallies JSON ${(JSON.stringify(tallies).length / 1e3).toFixed(0)} KB; scoring an hour: median ${tickMs[tickMs.length >> 1].toFixed(2)} ms, p99 ${tickMs[Math.floor(tickMs.length * 0.99)].toFixed(2)} ms; built in ${seconds.toFixed(0)} s`,
);
