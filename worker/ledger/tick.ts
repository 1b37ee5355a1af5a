// The ledger's hourly step for one instrument: record the active models' forecasts and the signal made
// at the last closed hour (if not yet recorded), then score every hour closed since the last step.
// Run when an hour's last candle is stored and when a model version becomes active.
import { MODEL_TIMEFRAME } from "../../core/models/model-config";
import type { Db } from "../db/client";
import { activeModels } from "../db/models";
import { readChart } from "../market/chart";
import type { StoredProfile } from "../market/store";
import type { PERIODS_PER_YEAR } from "../models/insight-config";
import { lastClosedHour, newestMinute } from "../models/predict";
import { instrumentLedger } from "./instrument-ledger";
import { recordHour } from "./served";

type Profile = StoredProfile & { profileType: keyof typeof PERIODS_PER_YEAR };

const HOUR = 3600;
/** Hours of candles one scoring call carries at most: a long backlog is scored a week at a time. */
const SCORE_CHUNK_HOURS = 7 * 24;

export interface TickReport {
  origin: number | null;
  recorded: number;
  scored: number;
}

/** `now` is when the entries are made (the real clock; tests replaying history pass the hour's close). */
export async function ledgerTick(env: Env, db: Db, profile: Profile, now = new Date()): Promise<TickReport> {
  const minute = await newestMinute(env.BUCKET, db, profile);
  if (minute === null) return { origin: null, recorded: 0, scored: 0 };
  const origin = lastClosedHour(minute);
  const rows = await activeModels(db, profile.id);
  const recorded = rows.length
    ? (await recordHour(env, db, profile, rows, origin, undefined, now)).entries.length
    : 0;
  return { origin, recorded, scored: await scoreLedger(env, db, profile, origin) };
}

/** Scores the ledger's hours closed up to `lastClosed` (an hour open); returns the scores added. */
export async function scoreLedger(env: Env, db: Db, profile: Profile, lastClosed: number): Promise<number> {
  const ledger = instrumentLedger(env, profile.symbol);
  let from = await ledger.pendingFrom();
  let scored = 0;
  while (from !== null && from < lastClosed) {
    // One hour before the window: a volatility score needs the close before its target.
    const start = Math.max(from - HOUR, lastClosed - 400 * 24 * HOUR);
    const end = Math.min(start + SCORE_CHUNK_HOURS * HOUR, lastClosed);
    const bars = await readChart(env.BUCKET, db, profile, MODEL_TIMEFRAME, (end - start) / HOUR + 1, end);
    const r = await ledger.score(bars.filter((b) => b.time >= start && b.time <= end));
    scored += r.scored;
    if (r.through === null || r.through <= from) break; // no candle in the window: wait for data
    from = r.through;
  }
  return scored;
}
