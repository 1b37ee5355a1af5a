// The stored calibration of an instrument's signal confidence (kept beside its backtest, computed when
// a version becomes active), read through a per-isolate memo keyed by the active model set.

import type { ProfileType } from "../../core/instruments";
import { getBacktest, modelSetKey } from "../db/backtests";
import type { Db } from "../db/client";
import type { ModelRow } from "../db/models";
import type { StoredProfile } from "../market/store";
import { ByteLru, bytesOfJson, CACHE_BYTES } from "../memory";
import { CALIBRATION_ROW, refreshBacktest } from "./backtest";
import type { SignalCalibration } from "./signals";

type Profile = StoredProfile & { profileType: ProfileType };

// A set's calibration never changes (a new version is a new set key).
const memo = new ByteLru<string, SignalCalibration | null>(CACHE_BYTES.calibrations, bytesOfJson);

const read = async (db: Db, profileId: number, key: string) => {
  const row = await getBacktest(db, profileId, key, ...CALIBRATION_ROW);
  const body = row?.body as unknown as SignalCalibration | undefined;
  return body && "fit" in body && "source" in body ? body : null;
};

/** The calibration of the active set `rows`; a set stored before calibrations were kept is rebuilt once. */
export async function storedCalibration(
  bucket: R2Bucket,
  db: Db,
  profile: Profile,
  rows: readonly ModelRow[],
): Promise<SignalCalibration | null> {
  const key = modelSetKey(rows.map((r) => r.id));
  const cacheKey = `${profile.id}|${key}`;
  const hit = memo.get(cacheKey);
  if (hit !== undefined) return hit;
  let calibration = await read(db, profile.id, key);
  if (!calibration && rows.length > 0) {
    await refreshBacktest(bucket, db, profile);
    calibration = await read(db, profile.id, key);
  }
  memo.set(cacheKey, calibration);
  return calibration;
}
