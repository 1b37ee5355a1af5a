// Trading profiles as admins manage them: the one answer shape, the exchange's listing check before a
// symbol is collected, and a delete that takes the profile's candles, archives and artifacts with it.
// Routes compose these; every function takes the bindings and db first and never sees a request.

import type { Db } from "./db/client";
import { collectionState, type Outcomes, readOutcomes } from "./db/collection-outcomes";
import { isUniqueViolation } from "./db/errors";
import {
  createProfile,
  deleteProfile,
  getProfile,
  listProfiles,
  type NewProfile,
  type ProfileRow,
  publicProfile,
  updateProfile,
} from "./db/profiles";
import { ApiError } from "./errors";
import { isSupportedExchange } from "./market/exchange";
import { listing } from "./market/markets-cache";
import { isSimulated } from "./market/simulated";
import { deleteStoredCandles } from "./market/store";
import { deleteSymbolArtifacts } from "./models/artifact-store";

/** A profile as the admin API answers it: the row, whether it is simulated, its collection state. */
export const profileAnswer = (env: Env, p: ProfileRow, outcomes: Outcomes = {}) => ({
  ...publicProfile(p, isSimulated(env, p.symbol)),
  collection: collectionState(outcomes[p.id]),
});

export async function listProfileAnswers(env: Env, db: Db) {
  const outcomes = await readOutcomes(db);
  return (await listProfiles(db)).map((p) => profileAnswer(env, p, outcomes));
}

const notFound = () => new ApiError(404, "profile_not_found", "No profile with this id");

/** The profile with this id, or 404. */
export async function profileOr404(db: Db, id: number): Promise<ProfileRow> {
  const profile = await getProfile(db, id);
  if (!profile) throw notFound();
  return profile;
}

/**
 * The market's price tick (null when ccxt has none or the exchange cannot be asked); 422 when the
 * exchange does not list the symbol, so that the cron never fails on it every minute; 503 when the
 * exchange cannot be asked. Exchanges that are not bundled cannot be asked at all: their profiles are
 * kept, and the collection error shows in their row.
 */
async function requireListed(env: Env, exchange: string, symbol: string): Promise<number | null> {
  if (!isSupportedExchange(exchange)) return null;
  const listed = await listing(env, exchange, symbol).catch((err: Error) => {
    throw new ApiError(
      503,
      "exchange_unavailable",
      `Could not check ${symbol} against ${exchange}'s markets: ${err.message}`,
    );
  });
  if (!listed)
    throw new ApiError(422, "unknown_symbol", `${exchange} does not list ${symbol} as a spot market`);
  return listed.tick;
}

/** A new profile for a symbol the exchange lists; 409 when the symbol has one already. */
export async function addProfile(env: Env, db: Db, p: NewProfile & { exchange: string }) {
  const tickSize = await requireListed(env, p.exchange, p.symbol);
  const profile = await createProfile(db, { ...p, tickSize });
  if (!profile) throw new ApiError(409, "symbol_taken", `A profile for ${p.symbol} already exists`);
  return profile;
}

/** Changes a profile; its symbol and exchange only while it has no data, and only to a listed pair. */
export async function changeProfile(env: Env, db: Db, id: number, changes: Partial<NewProfile>) {
  const current = await profileOr404(db, id);
  const moves =
    (changes.symbol && changes.symbol !== current.symbol) ||
    (changes.exchange && changes.exchange !== current.exchange);
  if (moves && current.hasData) {
    throw new ApiError(409, "profile_has_data", "Symbol and exchange cannot change once data is collected");
  }
  const tickSize = moves
    ? await requireListed(env, changes.exchange ?? current.exchange, changes.symbol ?? current.symbol)
    : current.tickSize;
  const profile = await updateProfile(db, id, { ...changes, tickSize }).catch((err) => {
    if (isUniqueViolation(err)) throw new ApiError(409, "symbol_taken", "Another profile has this symbol");
    throw err;
  });
  if (!profile) throw notFound(); // deleted meanwhile
  return profile;
}

/**
 * Deletes a profile and everything stored for it. Rows first (candles, rollups, archive index, jobs
 * and models cascade with the profile), then the R2 objects they pointed at: a failure in between
 * leaves unreferenced objects, never dangling rows.
 */
export async function removeProfile(env: Env, db: Db, id: number) {
  const profile = await profileOr404(db, id);
  await deleteProfile(db, id);
  await deleteStoredCandles(env.BUCKET, profile.symbol);
  await deleteSymbolArtifacts(env.BUCKET, profile.symbol);
  return profile;
}
