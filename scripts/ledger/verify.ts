// Re-checks an instrument's forecast ledger from the outside, with nothing but its public API: the whole
// export's hash chain up to the published head (and an expected head, if one was saved earlier), every
// score of every entry against the chart API's hourly candles, and the track record's totals (per model
// and horizon, the signal's calibration and paper account) re-added from those scores.
import { type LedgerEntry, verifyChain } from "../../core/ledger/entry";
import { paperReturns } from "../../core/ledger/paper";
import { NEW_TALLIES, scoreWindow } from "../../core/ledger/replay";
import { type HourBar, scoreEntry } from "../../core/ledger/score";
import { summarise } from "../../core/ledger/summary";
import type { LedgerAnswer, TrackRecordAnswer } from "../../worker/contract";

const DAY = 86_400;
const PAGE_DAYS = 31;
const CHART_LIMIT = 5000;

export interface VerifyOptions {
  url: string;
  symbol: string;
  token: string;
  /** A head saved earlier ("seq:hash"): the ledger must still contain it, unchanged. */
  expectHead?: string;
  fetch?: typeof fetch;
}

export interface VerifyReport {
  entries: number;
  scores: number;
  head: { seq: number; hash: string } | null;
  problems: string[];
}

const close = (a: number | null | undefined, b: number | null | undefined) =>
  a === b ||
  (typeof a === "number" && typeof b === "number" && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)));

export async function verifyLedger(o: VerifyOptions): Promise<VerifyReport> {
  const get = async <T>(path: string): Promise<T> => {
    const res = await (o.fetch ?? fetch)(`${o.url}${path}`, {
      headers: { authorization: `Bearer ${o.token}` },
    });
    if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${(await res.text()).slice(0, 200)}`);
    return (await res.json()) as T;
  };
  const sym = encodeURIComponent(o.symbol);
  const record = await get<TrackRecordAnswer>(`/api/instruments/${sym}/track-record`);
  const problems: string[] = [];
  const entries = await allEntries(get, sym, record);
  const head = record.head;
  // The chain, from the genesis to the published head.
  for (const p of await verifyChain(entries as LedgerEntry[])) problems.push(`entry ${p.seq}: ${p.problem}`);
  const last = entries.at(-1);
  if ((head?.seq ?? 0) !== entries.length || (last && head?.hash !== last.hash))
    problems.push(`the export ends at seq ${last?.seq ?? 0} but the published head is ${head?.seq ?? 0}`);
  if (o.expectHead) {
    const [seq, hash] = o.expectHead.split(":");
    const at = entries.find((e) => e.seq === Number(seq));
    if (!at || at.hash !== hash)
      problems.push(`the saved head ${o.expectHead} is not in the ledger any more`);
  }
  // Every score, from the entries and the chart's hourly candles.
  const through = record.scored_through;
  const bars =
    through === null || !entries.length ? [] : await hourlyBars(get, sym, entries[0].origin, through);
  let scores = 0;
  for (const e of entries) {
    const want = scoreEntry(e as LedgerEntry, bars);
    scores += want.length;
    const got = e.scores;
    if (JSON.stringify(roundScores(got)) !== JSON.stringify(roundScores(want)))
      problems.push(`entry ${e.seq}: its scores are not what its forecast and the candles give`);
  }
  // The track record, re-added from the entries over the same hours.
  const tallies = NEW_TALLIES();
  scoreWindow(tallies, entries as LedgerEntry[], bars);
  for (const m of record.models) {
    const mine = summarise(tallies.models[m.model_type] ?? {});
    if (mine.length !== m.horizons.length)
      problems.push(`${m.model_type}: ${m.horizons.length} horizons, recomputed ${mine.length}`);
    for (const h of m.horizons) {
      const r = mine.find((x) => x.horizon === h.horizon);
      for (const key of [
        "n",
        "mae",
        "rw_mae",
        "skill",
        "dm_pvalue",
        "coverage",
        "winkler",
        "qlike_dm_pvalue",
      ] as const)
        if (!r || !close(r[key] as number | null, h[key] as number | null))
          problems.push(
            `${m.model_type} horizon ${h.horizon}: ${key} ${h[key]} where the export gives ${r?.[key]}`,
          );
    }
  }
  const paper = record.signal.paper;
  const mine = paperReturns(tallies.paper);
  if (
    !close(mine.total_return, paper.total_return) ||
    !close(mine.buy_and_hold_return, paper.buy_and_hold_return)
  )
    problems.push(
      `paper account: ${paper.total_return} vs buy and hold ${paper.buy_and_hold_return} where the export gives ${mine.total_return} vs ${mine.buy_and_hold_return}`,
    );
  const c = record.signal.confidence;
  const t = tallies.confidence;
  if (
    (c?.n ?? 0) !== t.n ||
    (c && (!close(c.brier, t.brier / t.n) || !close(c.brier_base_rate, t.brier_base_rate / t.n)))
  )
    problems.push("the signal's calibration is not what its recorded confidences and the candles give");
  return { entries: entries.length, scores, head, problems };
}

/** Numbers to 12 significant digits: the export's JSON and a recomputation may differ in the last bit. */
const roundScores = (s: readonly object[]) =>
  s.map((x) =>
    Object.fromEntries(
      Object.entries(x)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, typeof v === "number" ? Number(v.toPrecision(12)) : v]),
    ),
  );

type Get = <T>(path: string) => Promise<T>;

/** Every entry, page after page of at most PAGE_DAYS of origins, from the first entry's day. */
async function allEntries(get: Get, sym: string, record: TrackRecordAnswer) {
  const out: LedgerAnswer["entries"] = [];
  if (!record.since || !record.head) return out;
  let from = Math.floor(Date.parse(record.since) / 1000 / DAY) * DAY - 2 * DAY;
  const end = Math.floor(Date.now() / 1000) + DAY;
  while (from <= end && out.length < record.head.seq) {
    const to = Math.min(from + PAGE_DAYS * DAY - 1, end);
    let after = 0;
    for (;;) {
      const page = await get<LedgerAnswer>(
        `/api/instruments/${sym}/ledger?from=${from}&to=${to}&after_seq=${after}`,
      );
      out.push(...page.entries);
      if (page.next_after_seq === null) break;
      after = page.next_after_seq;
    }
    from = to + 1;
  }
  return out;
}

/** The closed hourly candles from `from` to `through` (opens), from the chart API, oldest first. */
async function hourlyBars(get: Get, sym: string, from: number, through: number): Promise<HourBar[]> {
  const bars: HourBar[] = [];
  let end = through;
  while (end >= from) {
    const page = await get<{ candles: HourBar[] }>(
      `/api/instruments/${sym}/data/1h?limit=${CHART_LIMIT}&end=${end}`,
    );
    const fresh = page.candles.filter((c) => c.time <= end && c.time >= from - 3600);
    if (fresh.length === 0) break;
    bars.unshift(...fresh.map(({ time, open, close }) => ({ time, open, close })));
    end = fresh[0].time - 3600;
  }
  return bars;
}
