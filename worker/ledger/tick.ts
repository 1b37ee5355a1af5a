// The ledger's hourly step for one instrument: record the active models' forecasts and the signal made
// at the last closed hour (if not yet recorded), then score every hour closed since the last step.
// Run when an hour's last candle is stored and when a model version becomes active.

import type { ProfileType } from "../../core/instruments";
import { lastClosedHour } from "../../core/ledger/hours";
import { MODEL_TIMEFRAME } from "../../core/models/model-config";
import { hourFacts } from "../alerts/hour-facts";
import type { Db } from "../db/client";
import { activeModels } from "../db/models";
import { trainedProfilesByIds } from "../db/profiles";
import { tellHour } from "../live/instrument-feed";
import { readChart } from "../market/chart";
import type { LedgerMessage } from "../market/collect-shard";
import type { StoredProfile } from "../market/store";
import { lastStoredTime } from "../market/store";
import { instrumentLedger } from "./instrument-ledger";
import { recordHour } from "./served";

type Profile = StoredProfile & { profileType: ProfileType };

const HOUR = 3600;
/** Hours of candles one scoring call carries at most: a long backlog is scored a week at a time. */
const SCORE_CHUNK_HOURS = 7 * 24;

/** The ledger step of each profile of a message; one profile's failure is logged, the others go on. */
export async function ledgerTicks(env: Env, db: Db, message: LedgerMessage) {
  const reports: TickReport[] = [];
  for (const profile of await trainedProfilesByIds(db, message.profileIds)) {
    try {
      reports.push(await ledgerTick(env, db, profile));
    } catch (err) {
      console.error(`ledger ${profile.symbol}: ${err instanceof Error ? err.message : err}`);
    }
  }
  return reports;
}

export interface TickReport {
  origin: number | null;
  recorded: number;
  scored: number;
  /** Calls to the instrument's ledger object (append, pendingFrom, score). */
  ledgerCalls: number;
}

/** `now` is when the entries are made (the real clock; tests replaying history pass the hour's close). */
export async function ledgerTick(env: Env, db: Db, profile: Profile, now = new Date()): Promise<TickReport> {
  // Read afresh (not the per-isolate memo of the data's version): the tick must see the hour just stored.
  const minute = await lastStoredTime(db, profile.id);
  if (minute === null) return { origin: null, recorded: 0, scored: 0, ledgerCalls: 0 };
  const origin = lastClosedHour(minute);
  const rows = await activeModels(db, profile.id);
  const served = rows.length ? await recordHour(env, db, profile, rows, origin, undefined, now) : null;
  // The instrument's signal_change and band_exit alerts learn the new hour here.
  if (served) await tellHour(env, profile.symbol, hourFacts(origin, served));
  const recorded = served ? served.entries.length : 0;
  const { scored, calls } = await scoreLedger(env, db, profile, origin);
  return { origin, recorded, scored, ledgerCalls: calls + (rows.length ? 1 : 0) };
}

/** Scores the ledger's hours closed up to `lastClosed` (an hour open): the scores added, the ledger calls. */
export async function scoreLedger(env: Env, db: Db, profile: Profile, lastClosed: number) {
  const ledger = instrumentLedger(env, profile.symbol);
  let from = await ledger.pendingFrom();
  let scored = 0;
  let calls = 1;
  while (from !== null && from < lastClosed) {
    // One hour before the window: a volatility score needs the close before its target.
    const start = Math.max(from - HOUR, lastClosed - 400 * 24 * HOUR);
    const end = Math.min(start + SCORE_CHUNK_HOURS * HOUR, lastClosed);
    const bars = await readChart(env.BUCKET, db, profile, MODEL_TIMEFRAME, (end - start) / HOUR + 1, end);
    const r = await ledger.score(bars.filter((b) => b.time >= start && b.time <= end));
    calls += 1;
    scored += r.scored;
    if (r.through === null || r.through <= from) break; // no candle in the window: wait for data
    from = r.through;
  }
  return { scored, calls };
}
