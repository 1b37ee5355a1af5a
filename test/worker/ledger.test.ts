// The forecast ledger end to end in workerd: what the forecast and signal routes serve is recorded first
// (and only once), the hourly tick records and scores, a new version never rewrites an entry, the
// export's scores and the track record re-add from the export and the candles, and an edited entry
// breaks the chain.
import { env, runInDurableObject } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import type { Candle } from "../../core/candles/types";
import { type LedgerEntry, verifyChain } from "../../core/ledger/entry";
import { NEW_TALLIES, scoreWindow } from "../../core/ledger/replay";
import { summarise } from "../../core/ledger/summary";
import { AdminTrackRecord, Ledger, TrackRecord } from "../../worker/contract/ledger";
import { getDb } from "../../worker/db/client";
import { getProfile } from "../../worker/db/profiles";
import { instrumentLedger } from "../../worker/ledger/instrument-ledger";
import { ledgerTick } from "../../worker/ledger/tick";
import { storeCandles } from "../../worker/market/store";
import { api, bearer, bootstrapAdmin, call, expectJson } from "./helpers";
import { ARIMA, arrangeInstrument, register, series } from "./insights-fixtures";

const { all, NOW } = series();
let token: string;
let profile: { id: number; symbol: string };
const get = (path: string) => call("GET", `/api/instruments/${path}`, { token });
const db = () => getDb(env.DB);

/** `hours` more hours of 1m candles after the stored ones, drifting up. */
async function addHours(hours: number) {
  const added: Candle[] = [];
  for (let i = 0; i < hours * 60; i++) {
    const prev = added.at(-1) ?? all[all.length - 1];
    const close = prev.close * (1 + 0.0004 * Math.sin(all.length / 7));
    added.push({
      ...prev,
      time: prev.time + 60,
      open: prev.close,
      close,
      high: Math.max(prev.close, close),
      low: Math.min(prev.close, close),
    });
    all.push(added.at(-1) as Candle);
  }
  await storeCandles(env.BUCKET, db(), profile, added, (added.at(-1) as Candle).time + 60);
}

/** The hourly tick as it runs half a minute after the last stored hour closed (the data is historical). */
const tick = async () =>
  ledgerTick(
    env,
    db(),
    (await getProfile(db(), profile.id))!,
    new Date((all[all.length - 1].time + 90) * 1000),
  );
const ins = { param: { symbol: "INSUSDT" } };
const route = () => api.instruments[":symbol"];
const exportAll = async () =>
  Ledger.parse(
    await expectJson(
      route().ledger.$get(
        { ...ins, query: { from: String(NOW - 10 * 86_400), to: String(all.at(-1)!.time) } },
        bearer(token),
      ),
      200,
    ),
  );
const trackRecord = async () =>
  TrackRecord.parse(await expectJson(route()["track-record"].$get(ins, bearer(token)), 200));

beforeAll(async () => {
  ({ token, profile } = await arrangeInstrument(all, NOW));
}, 120_000);

describe("the forecast ledger", () => {
  it("records what the forecast and signal routes serve before serving it, once", async () => {
    const pred = await expectJson(route().predictions.$get(ins, bearer(token)), 200);
    const signal = await expectJson(route().signals.$get(ins, bearer(token)), 200);
    const { entries } = await exportAll();
    expect(entries.map((e) => `${e.kind}:${e.model_type}`).sort()).toEqual([
      "forecast:arima",
      "forecast:cnn_pattern",
      "forecast:garch",
      "signal:signal",
    ]);
    for (const m of pred.models) {
      const e = entries.find((x) => x.model_type === m.model_type) as LedgerEntry;
      expect(m.ledger).toEqual({ seq: e.seq, hash: e.hash });
      expect(m.forecast).toEqual(e.forecast);
      expect(e.origin).toBe(pred.origin);
      expect(Date.parse(e.made_at) / 1000).toBeGreaterThan(e.origin + 3600 - 1); // after the hour's close
    }
    const s = entries.find((x) => x.kind === "signal") as LedgerEntry;
    expect(signal.ledger).toEqual({ seq: s.seq, hash: s.hash });
    expect(s.signal?.signal).toBe(signal.signal);
    // The garch entry carries its per-hour sd and the EWMA benchmark it is scored against.
    const garch = entries.find((x) => x.model_type === "garch") as LedgerEntry;
    expect(garch.ewma_sigma).toBeGreaterThan(0);
    expect(garch.forecast.every((p) => (p.sigma ?? 0) > 0)).toBe(true);
    // Asked again, and by the hourly tick for the same hour: nothing new.
    await get("INSUSDT/predictions");
    expect((await tick()).recorded).toBe(4);
    expect((await exportAll()).entries).toHaveLength(4);
    expect(await verifyChain(entries)).toEqual([]);
  });

  it("records each closed hour and scores the hours as they close, as a replay of the export does", async () => {
    for (let h = 0; h < 5; h++) {
      await addHours(1);
      await tick();
    }
    const exported = await exportAll();
    expect(exported.entries).toHaveLength(4 * 6);
    expect(await verifyChain(exported.entries as LedgerEntry[])).toEqual([]);
    const record = await trackRecord();
    expect(record.head).toEqual({ seq: 24, hash: exported.entries[23].hash });
    expect(record.scored_through).toBe(exported.entries.at(-1)?.origin);
    const arima = record.models.find((m) => m.model_type === "arima");
    // The first hour's entries were made by the routes on today's clock, years after that hour: never
    // scored. The ticks' four earlier hours have closed their next hour.
    expect(arima?.next_hour?.n).toBe(4);
    // Re-add the export's entries over the chart's closed hours: the same sums.
    const bars = aggregate(all, "1h").filter((b) => b.time <= (record.scored_through as number));
    const replay = NEW_TALLIES();
    scoreWindow(replay, exported.entries as LedgerEntry[], bars);
    expect(summarise(replay.models.arima)).toEqual(arima?.horizons);
    // The export's scores are the ones summed.
    const scores = exported.entries.filter((e) => e.model_type === "arima").flatMap((e) => e.scores);
    expect(scores.filter((s) => s.horizon === 1)).toHaveLength(4);
    const h1 = arima?.horizons.find((h) => h.horizon === 1);
    const mean = scores.filter((s) => s.horizon === 1).reduce((a, s) => a + s.abs_error, 0) / 4;
    expect(h1?.mae).toBeCloseTo(mean, 10);
    // The signal traded on paper from the first hour after the first entry made in time for it.
    expect(record.signal.paper.from).toBe(exported.entries[4].origin + 3600);
    expect(record.signal.paper.equity.length).toBeGreaterThan(0);
  });

  it("keeps every entry when a new version becomes active, and records the new version's own", async () => {
    const before = await exportAll();
    await register(
      profile,
      "arima",
      new TextEncoder().encode(JSON.stringify({ ...ARIMA, const: 0.001 })),
      0.03,
      0.02,
    );
    await tick();
    const after = await exportAll();
    expect(after.entries.slice(0, before.entries.length)).toEqual(before.entries);
    const added = after.entries.slice(before.entries.length);
    expect(added.map((e) => `${e.model_type}:${e.model_version ?? ""}`).sort()).toEqual([
      "arima:2",
      "signal:",
    ]);
    expect(await verifyChain(after.entries as LedgerEntry[])).toEqual([]);
  });

  it("answers the same entries as CSV, refuses bad ranges, and has no route that edits an entry", async () => {
    const res = await call(
      "GET",
      `/api/instruments/INSUSDT/ledger?from=${NOW - 10 * 86_400}&to=${all.at(-1)!.time}&format=csv`,
      { token },
    );
    expect(res.status).toBe(200);
    const lines = (res.text ?? "").trim().split("\r\n");
    expect(lines[0]).toBe(
      "seq,made_at,kind,origin,symbol,model_type,model_version,artifact_sha256,last_close,forecast,ewma_sigma,range,signal,prev_hash,hash,scores",
    );
    expect(lines).toHaveLength(1 + (await exportAll()).entries.length);
    expect((await get("INSUSDT/ledger?from=10&to=5")).status).toBe(400);
    expect((await get("INSUSDT/ledger?from=0&to=99999999")).status).toBe(400); // more than 31 days
    expect((await get("INSUSDT/ledger?to=1800000000000")).status).toBe(400); // milliseconds
    expect((await get("RAWUSDT/track-record")).status).toBe(404);
    expect((await call("GET", "/api/instruments/INSUSDT/track-record")).status).toBe(401);
    for (const method of ["POST", "PUT", "PATCH", "DELETE"])
      expect((await call(method, "/api/instruments/INSUSDT/ledger", { token })).status).toBe(404);
  });

  it("shows admins the same track record for any profile, with the signal's calibration", async () => {
    const admin = (await bootstrapAdmin()).token;
    const res = await call("GET", `/api/admin/profiles/${profile.id}/track-record`, { token: admin });
    expect(res.status).toBe(200);
    const user = await trackRecord();
    const { calibration, ...record } = AdminTrackRecord.parse(res.json);
    expect(record).toEqual(user);
    expect(calibration).toBeNull(); // no rolling-evaluation forecasts stored for this set
    expect((await call("GET", `/api/admin/profiles/${profile.id}/track-record`, { token })).status).toBe(401);
    expect((await call("GET", "/api/admin/profiles/99999/track-record", { token: admin })).status).toBe(404);
  });

  it("shows an entry edited in storage as a broken chain", async () => {
    const stub = instrumentLedger(env, "INSUSDT");
    await runInDurableObject(stub, async (_, state) => {
      const [row] = state.storage.sql
        .exec<{ body: string }>("SELECT body FROM entries WHERE seq = 3")
        .toArray();
      const e = JSON.parse(row.body) as LedgerEntry;
      e.forecast[0].value *= 1.01;
      state.storage.sql.exec("UPDATE entries SET body = ? WHERE seq = 3", JSON.stringify(e));
    });
    const { entries } = await exportAll();
    expect(await verifyChain(entries as LedgerEntry[])).toEqual([
      { seq: 3, problem: "hash does not match the entry's bytes" },
    ]);
  });
});
