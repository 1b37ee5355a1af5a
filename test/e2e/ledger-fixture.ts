// Test-only: an instrument's forecast ledger for the browser tests, made and scored by core's own ledger
// code (chained entries, scoreWindow, trackRecordOf) over real hourly candles, so the track record and
// the CSV export the mock answers with are what the Worker would answer for these entries. The
// forecasts are made up: a random walk with a drift (ARIMA), a volatility path with its EWMA benchmark
// and its 24 h range (GARCH), and a model that leans a little towards what happened (GRU), which the
// signal follows.
import type { Candle } from "../../core/candles/types";
import { chainEntry, compact, type LedgerDraft, type LedgerEntry } from "../../core/ledger/entry";
import { NEW_TALLIES, scoreWindow } from "../../core/ledger/replay";
import type { HourBar } from "../../core/ledger/score";
import { type LedgerCounts, trackRecordOf } from "../../core/ledger/track-record";
import { scoredEntries, toCsv } from "../../worker/ledger/export";

const HOUR = 3600;
const STEPS = 24;
const Z = 1.96;

export interface LedgerFixture {
  record: ReturnType<typeof trackRecordOf>;
  /** The export of the entries whose origin lies in [from, to], as the ledger route answers it. */
  csv(from: number, to: number): string;
}

const iso = (sec: number) => new Date(sec * 1000).toISOString();

/** The sd of the hourly log returns of the 72 hours up to bar i. */
function sdOf(bars: readonly HourBar[], i: number): number {
  const r: number[] = [];
  for (let k = Math.max(1, i - 71); k <= i; k++) r.push(Math.log(bars[k].close / bars[k - 1].close));
  const m = r.reduce((s, x) => s + x, 0) / r.length;
  return Math.sqrt(r.reduce((s, x) => s + (x - m) ** 2, 0) / Math.max(1, r.length - 1)) || 0.004;
}

/** A deterministic standard normal by hour and step (Box-Muller over a hashed pair). */
function noise(origin: number, k: number): number {
  const u = (n: number) => {
    let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b);
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
    return (((h ^ (h >>> 16)) >>> 0) + 0.5) / 4_294_967_296;
  };
  return Math.sqrt(-2 * Math.log(u(origin / 60 + k))) * Math.cos(2 * Math.PI * u(origin / 60 - k - 7919));
}

/** The drafts made at the close of hour `i` (its origin): three forecasts and the signal. */
function draftsAt(symbol: string, bars: readonly HourBar[], i: number): LedgerDraft[] {
  const origin = bars[i].time;
  const last = bars[i].close;
  const sd = sdOf(bars, i);
  const base = { symbol, made_at: iso(origin + HOUR + 20), origin, last_close: compact(last) };
  const point = (k: number, value: number, sigma: number) => {
    const half = Z * sigma * Math.sqrt(k + 1);
    return {
      time: origin + (k + 1) * HOUR,
      value: compact(value),
      lower: compact(value * Math.exp(-half)),
      upper: compact(value * Math.exp(half)),
    };
  };
  const path = (value: (k: number) => number, sigma: number) =>
    Array.from({ length: STEPS }, (_, k) => point(k, value(k), sigma));
  // A fifth of the log move that came (where it is known) plus noise: a little skill, not a prophecy.
  const lean = (k: number) => {
    const actual = bars[i + k + 1]?.close;
    const r = actual === undefined ? 0 : Math.log(actual / last);
    return last * Math.exp(0.2 * r + 0.3 * sd * Math.sqrt(k + 1) * noise(origin, k));
  };
  const forecast = (model_type: string, model_version: number, extra: Partial<LedgerDraft>) => ({
    ...base,
    kind: "forecast" as const,
    model_type,
    model_version,
    artifact_sha256: `${model_type.length}`.repeat(64),
    forecast: [],
    ...extra,
  });
  const garchSigma = sd;
  const rangeHalf = Z * garchSigma * Math.sqrt(STEPS);
  const expected = Math.log(lean(0) / last);
  const signal = expected > 0.0005 ? "buy" : expected < -0.0005 ? "sell" : "hold";
  return [
    forecast("arima", 3, { forecast: path((k) => last * Math.exp(0.00002 * (k + 1)), sd) }),
    forecast("garch", 3, {
      forecast: path(() => last, garchSigma).map((p) => ({ ...p, sigma: compact(garchSigma) })),
      ewma_sigma: compact(sd * 1.2),
      range: {
        hours: STEPS,
        lower: compact(last * Math.exp(-rangeHalf)),
        upper: compact(last * Math.exp(rangeHalf)),
      },
    }),
    forecast("gru_attention", 2, { forecast: path(lean, sd * 0.9) }),
    {
      ...base,
      kind: "signal",
      model_type: "signal",
      model_version: null,
      artifact_sha256: null,
      forecast: [],
      signal: {
        signal,
        confidence: compact(0.5 + Math.min(0.2, Math.abs(expected) / sd / 4)),
        expected: compact(expected),
        score: compact(Math.abs(expected) / sd),
        voters: ["gru_attention"],
        models: "arima:3,garch:3,gru_attention:2",
      },
    },
  ];
}

/**
 * The ledger of the last `hours` closed hours of `hourly` (every candle closed, oldest first): an entry
 * set per hour, chained, scored through the last candle.
 */
export async function ledgerFixture(
  symbol: string,
  hourly: readonly Candle[],
  hours: number,
): Promise<LedgerFixture> {
  const bars: HourBar[] = hourly.map((c) => ({ time: c.time, open: c.open, close: c.close }));
  const entries: LedgerEntry[] = [];
  const counts: LedgerCounts = { entries: {}, versions: {}, since: null, head: null };
  for (let i = bars.length - hours; i < bars.length; i++) {
    for (const draft of draftsAt(symbol, bars, i)) {
      const entry = await chainEntry(counts.head, draft);
      entries.push(entry);
      counts.entries[entry.model_type] = (counts.entries[entry.model_type] ?? 0) + 1;
      const seen = counts.versions[entry.model_type] ?? [];
      if (entry.model_version !== null && !seen.includes(entry.model_version))
        counts.versions[entry.model_type] = [...seen, entry.model_version];
      counts.since ??= entry.made_at;
      counts.head = { seq: entry.seq, hash: entry.hash };
    }
  }
  const tallies = NEW_TALLIES();
  const first = bars.length - hours;
  const { equity } = scoreWindow(tallies, entries, bars.slice(first));
  const record = trackRecordOf(symbol, tallies, counts, equity);
  const scored = scoredEntries(entries, bars, tallies.scored_through);
  return {
    record,
    csv: (from, to) => toCsv(scored.filter((e) => e.origin >= from && e.origin <= to)),
  };
}
