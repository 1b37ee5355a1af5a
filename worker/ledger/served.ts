// What users are served is what the ledger recorded: the forecasts and the signal of the last closed
// hour are appended to the instrument's ledger (or found there) before any answer carries them, and
// the answer is built from the recorded entries. The hourly cron records them too, so the record never
// depends on anyone looking; a request only makes sure.

import type { ProfileType } from "../../core/instruments";
import type { LedgerEntry } from "../../core/ledger/entry";
import { lastClosedHour } from "../../core/ledger/hours";
import type { Db } from "../db/client";
import { activeModelsMemo } from "../db/models";
import type { StoredProfile } from "../market/store";
import { ByteLru, bytesOfJson, CACHE_BYTES } from "../memory";
import { storedCalibration } from "../models/calibration-store";
import { type InstrumentPrediction, newestMinute, predictInstrument } from "../models/predict";
import { type SignalCalibration, signalOf } from "../models/signals";
import { draftsOf } from "./drafts";
import { instrumentLedger } from "./instrument-ledger";

type Profile = StoredProfile & { profileType: ProfileType };

export interface Served {
  /** The forecasts as recorded (paths from the ledger's entries). */
  prediction: InstrumentPrediction;
  signal: ReturnType<typeof signalOf> & { recorded: LedgerEntry | null };
  calibration: SignalCalibration | null;
  entries: LedgerEntry[];
}

// Per profile: the answer of one model set at one hour (a few KB); replaced by the next hour's.
const served = new ByteLru<number, { key: string; value: Served }>(CACHE_BYTES.served, bytesOfJson);

/** The recorded forecasts and signal of `profile`'s last closed hour, appended first if missing. */
export async function servedInsights(
  env: Env,
  db: Db,
  profile: Profile,
  waitUntil: (p: Promise<unknown>) => void = () => {},
): Promise<Served> {
  const [rows, minute] = await Promise.all([
    activeModelsMemo(db, profile.id),
    newestMinute(env.BUCKET, db, profile),
  ]);
  const origin = minute === null ? 0 : lastClosedHour(minute);
  const key = `${rows.map((r) => `${r.id}:${r.version}`).join(",")}|${origin}`;
  const hit = served.get(profile.id);
  if (hit?.key === key) return hit.value;
  const value = await recordHour(env, db, profile, rows, origin, waitUntil);
  served.set(profile.id, { key, value });
  return value;
}

/** Forecasts at the close of `origin` by the models `rows`, recorded in the ledger, as served. */
export async function recordHour(
  env: Env,
  db: Db,
  profile: Profile,
  rows: Parameters<typeof predictInstrument>[3],
  origin: number,
  waitUntil: (p: Promise<unknown>) => void = () => {},
  madeAt = new Date(),
): Promise<Served> {
  const pred = await predictInstrument(env.BUCKET, db, profile, rows, origin, waitUntil);
  const calibration = await storedCalibration(env.BUCKET, db, profile, rows);
  const signal = signalOf(pred, calibration);
  const drafts = draftsOf(pred, signal.decision, madeAt);
  const entries = drafts.length
    ? await instrumentLedger(env, profile.symbol).append(profile.symbol, drafts)
    : [];
  const forecastOf = (type: string, version: number) =>
    entries.find((e) => e.kind === "forecast" && e.model_type === type && e.model_version === version);
  const recorded = entries.find((e) => e.kind === "signal") ?? null;
  const prediction: InstrumentPrediction = {
    ...pred,
    models: pred.models.map((m) => ({
      ...m,
      forecast: forecastOf(m.model_type, m.version)?.forecast ?? m.forecast,
    })),
  };
  const s = recorded?.signal;
  return {
    prediction,
    signal: s ? { ...signal, signal: s.signal, confidence: s.confidence, recorded } : { ...signal, recorded },
    calibration,
    entries,
  };
}
