// The ledger's scores against an independent computation (test/fixtures/ledger/make-fixture.py: numpy,
// pandas, scipy), added an hour at a time as the ledger does and all at once as a verifier does.
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { addDm, dmPValue, newDm } from "../../core/ledger/dm-accumulator";
import type { LedgerEntry } from "../../core/ledger/entry";
import { paperReturns } from "../../core/ledger/paper";
import { NEW_TALLIES, scoreWindow } from "../../core/ledger/replay";
import { HOUR_SECONDS, type HourBar } from "../../core/ledger/score";
import { summarise } from "../../core/ledger/summary";
import { dieboldMariano, dmLags } from "../../core/models/diebold-mariano";

interface Fixture {
  bars: HourBar[];
  entries: LedgerEntry[];
  summary: Record<string, Record<string, Record<string, number | null>>>;
  confidence: { n: number; hits: number; brier: number; brier_base_rate: number };
  paper: {
    from: number;
    positions_opened: number;
    long: boolean;
    total_return: number;
    buy_and_hold_return: number;
  };
  scores: number;
}
const fixture: Fixture = JSON.parse(
  readFileSync(path.join(import.meta.dirname, "../fixtures/ledger/scores.json"), "utf8"),
);

/** As the ledger runs: each hour, the entries made by then and the candles closed by then. */
function hourByHour() {
  const tallies = NEW_TALLIES();
  let scored = 0;
  for (let i = 1; i <= fixture.bars.length; i++) {
    const closedAt = fixture.bars[i - 1].time + HOUR_SECONDS;
    const known = fixture.entries.filter((e) => Date.parse(e.made_at) / 1000 <= closedAt + 120);
    const from = Math.max(0, i - 30);
    for (const s of scoreWindow(tallies, known, fixture.bars.slice(from, i)).scores.values())
      scored += s.length;
  }
  return { tallies, scored };
}

function expectSummary(tallies: ReturnType<typeof NEW_TALLIES>) {
  for (const [model, horizons] of Object.entries(fixture.summary)) {
    const got = summarise(tallies.models[model]);
    for (const [h, want] of Object.entries(horizons)) {
      const row = got.find((r) => r.horizon === Number(h)) as unknown as Record<string, number | null>;
      expect(row, `${model} h${h}`).toBeDefined();
      for (const [key, value] of Object.entries(want)) {
        if (value === null) expect(row[key], `${model} h${h} ${key}`).toBeNull();
        // p-values through core's normal CDF (|relative error| < 1.2e-7) against scipy's
        else expect(row[key], `${model} h${h} ${key}`).toBeCloseTo(value, key.endsWith("pvalue") ? 6 : 9);
      }
    }
  }
}

describe("ledger scores", () => {
  it("equal the independent computation when added an hour at a time", () => {
    const { tallies, scored } = hourByHour();
    expect(scored).toBe(fixture.scores);
    expectSummary(tallies);
    const c = tallies.confidence;
    expect(c.n).toBe(fixture.confidence.n);
    expect(c.hits).toBe(fixture.confidence.hits);
    expect(c.brier / c.n).toBeCloseTo(fixture.confidence.brier, 12);
    expect(c.brier_base_rate / c.n).toBeCloseTo(fixture.confidence.brier_base_rate, 12);
    const p = tallies.paper;
    expect(p.from).toBe(fixture.paper.from);
    expect(p.trades).toBe(fixture.paper.positions_opened);
    expect(p.long).toBe(fixture.paper.long);
    const r = paperReturns(p);
    expect(r.total_return).toBeCloseTo(fixture.paper.total_return, 12);
    expect(r.buy_and_hold_return).toBeCloseTo(fixture.paper.buy_and_hold_return, 12);
  });

  it("are the same when a verifier replays the whole export at once", () => {
    const all = NEW_TALLIES();
    scoreWindow(all, fixture.entries, fixture.bars);
    expectSummary(all);
    expect(all).toEqual(hourByHour().tallies);
  });

  it("do not count an hour the entry was made too late for (a version activated mid-hour)", () => {
    const late = fixture.entries.filter((e) => e.model_version === 2);
    expect(late.length).toBeGreaterThan(0);
    const one = NEW_TALLIES();
    const { scores } = scoreWindow(one, late, fixture.bars);
    for (const e of late) expect(scores.get(e.seq)?.map((s) => s.horizon)[0]).toBe(2);
  });
});

describe("the running Diebold-Mariano test", () => {
  it("equals the batch test on the whole series, at every length", () => {
    let seed = 5;
    const u = () => {
      seed = (seed * 16807) % 2147483647;
      return seed / 2147483647;
    };
    const a: number[] = [];
    const b: number[] = [];
    const acc = newDm();
    for (let n = 1; n <= 400; n++) {
      const x = u() + 0.3 * (a.at(-1) ?? 0);
      const y = u() * 1.05;
      a.push(x);
      b.push(y);
      addDm(acc, x, y);
      for (const h of [1, 24]) {
        const batch = dieboldMariano(a, b, Math.min(dmLags(n, h), 48));
        const running = dmPValue(acc, h);
        if (batch === null) expect(running).toBeNull();
        else expect(running?.p_value).toBeCloseTo(batch.p_value, 10);
      }
    }
  });
});
