// Candles and model versions with known numbers for the insight route tests.
import { env } from "cloudflare:workers";
import { aggregate } from "../../core/candles/aggregate";
import type { Candle } from "../../core/candles/types";
import { getDb } from "../../worker/db/client";
import { activateVersion } from "../../worker/db/models";
import { storeCandles } from "../../worker/market/store";
import { artifactKey, putArtifact, sha256Hex } from "../../worker/models/artifact-store";
import { seededNetArtifact } from "../helpers/net-artifact";
import { signup } from "./helpers";
import { syntheticCandles } from "./synthetic";

/** Hourly candles the Worker feeds the models (MODEL_HISTORY_PERIODS). */
export const HOURS = 24 * 60;
const DAY0 = Date.UTC(2024, 0, 1) / 1000;
/** The models were "fitted" on the first 30 days: the backtest replays the rest. */
export const FITTED_TO = DAY0 + 30 * 86_400 - 3600;

/** 40 days and 10 hours of 1m candles; NOW is the minute after the last one. */
export function series() {
  const all = syntheticCandles(DAY0, 40 * 1440 + 600, new Set(), 7);
  return { DAY0, all, NOW: all[all.length - 1].time + 60 };
}

/** ARIMA(1,1,0) with drift on the log close: a 0.3% hourly drift makes the next-hour return a buy. Its
 * band multiplier (band_z) was calibrated at 2.4 standard deviations. */
export const ARIMA = {
  kind: "arima",
  order: [1, 1, 0],
  ar: [0.1],
  ma: [],
  const: 0.003,
  sigma2: 2e-5,
  band_z: 2.4,
};

/** GARCH(1,1) on percent log returns with a stored backcast (percent^2). */
export const GARCH = { kind: "garch", mu: 0.001, omega: 0.02, alpha: 0.1, beta: 0.8, backcast: 0.2 };

/** An untrained (seeded) CNN with a scaler fitted on `hourly`: real weights, arbitrary predictions. */
export const netArtifact = (hourly: readonly Candle[]) => seededNetArtifact("cnn_pattern", hourly);

let fixtureJobs = 0;
const json = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

export async function register(
  profile: { id: number; symbol: string },
  modelType: string,
  bytes: Uint8Array,
  skill: number,
  dmPvalue: number,
) {
  const key = artifactKey(profile.symbol, { id: ++fixtureJobs, modelType, attempts: 1 });
  await putArtifact(env.BUCKET, key, bytes, await sha256Hex(bytes), fixtureJobs);
  await activateVersion(getDb(env.DB), {
    profileId: profile.id,
    modelType,
    jobId: 0,
    trainedOn: { timeframe: "1h", from: DAY0, to: FITTED_TO },
    parameters: {},
    metrics: { timeframe: "1h", horizon: 1, skill, dm_pvalue: dmPvalue, mae: 1, naive_mae: 1 / (1 - skill) },
    artifactKey: key,
    artifactSha256: "0".repeat(64),
    artifactBytes: bytes.byteLength,
  });
}

/**
 * A user, INSUSDT with `all` stored and three active models (ARIMA skill +3% with DM p 0.02, GARCH, a
 * CNN with skill -2% and p 0.9), and RAWUSDT with data but no model.
 */
export async function arrangeInstrument(all: readonly Candle[], now: number) {
  const db = getDb(env.DB);
  const token = (await signup()).token;
  const insert = async (symbol: string) => {
    const row = await env.DB.prepare("insert into trading_profiles (symbol, name) values (?, ?) returning id")
      .bind(symbol, symbol)
      .first<{ id: number }>();
    return { id: row?.id as number, symbol };
  };
  const profile = await insert("INSUSDT");
  await storeCandles(env.BUCKET, db, profile, all, now);
  await storeCandles(env.BUCKET, db, await insert("RAWUSDT"), all.slice(-100), now);
  const net = await netArtifact(aggregate(all, "1h").slice(-HOURS));
  await register(profile, "arima", json(ARIMA), 0.03, 0.02);
  await register(profile, "garch", json(GARCH), 0.001, 0.5);
  await register(profile, "cnn_pattern", net, -0.02, 0.9);
  return { token, profile, net };
}
