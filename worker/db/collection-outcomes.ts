// Each profile's collection outcome across cron runs, one app_state row per profile
// (`collection.outcome.ID`): how many runs in a row failed, and the last error and when it happened. The
// admin panel shows a profile whose collection keeps failing in an error state instead of leaving a
// passing line in the live feed. One row per profile, because queue shards record their profiles' outcomes
// concurrently: a shared row would lose updates.
import { inArray, like, sql } from "drizzle-orm";
import { COLLECTION_FAILING_AFTER } from "../config";
import type { Db } from "./client";
import { appState } from "./schema";

const PREFIX = "collection.outcome.";
const keyOf = (profileId: number) => `${PREFIX}${profileId}`;
// app_state rows have 3 columns; D1 binds at most 100 parameters a statement.
const ROWS_PER_INSERT = 33;

export interface CollectionOutcome {
  /** Failed runs in a row (0 after a success). */
  failures: number;
  last_error: string | null;
  /** ISO time of the last failed run. */
  last_error_at: string | null;
}

export type Outcomes = Record<string, CollectionOutcome>;

const parse = (rows: { key: string; value: string }[]): Outcomes =>
  Object.fromEntries(rows.map((r) => [r.key.slice(PREFIX.length), JSON.parse(r.value) as CollectionOutcome]));

/** Every profile's outcome, by profile id. */
export const readOutcomes = async (db: Db): Promise<Outcomes> =>
  parse(
    await db
      .select()
      .from(appState)
      .where(like(appState.key, `${PREFIX}%`)),
  );

/**
 * Folds one run over some profiles into their stored outcomes: `errors` maps each profile id the run
 * worked on to its error, or null when it succeeded. One read, and writes only for outcomes that changed
 * (a success after a success writes nothing), so a shard costs 1 to 1 + ceil(n / 33) queries.
 */
export async function recordOutcomes(db: Db, errors: Map<number, string | null>, at: Date) {
  if (errors.size === 0) return;
  const keys = [...errors.keys()].map(keyOf);
  const before = parse(await db.select().from(appState).where(inArray(appState.key, keys)));
  const changed: { key: string; value: string; updatedAt: Date }[] = [];
  for (const [id, error] of errors) {
    const prev = before[id] ?? { failures: 0, last_error: null, last_error_at: null };
    if (error === null && prev.failures === 0) continue;
    const next =
      error === null
        ? { ...prev, failures: 0 }
        : { failures: prev.failures + 1, last_error: error, last_error_at: at.toISOString() };
    changed.push({ key: keyOf(id), value: JSON.stringify(next), updatedAt: at });
  }
  const statements = [];
  for (let i = 0; i < changed.length; i += ROWS_PER_INSERT) {
    statements.push(
      db
        .insert(appState)
        .values(changed.slice(i, i + ROWS_PER_INSERT))
        .onConflictDoUpdate({
          target: appState.key,
          set: { value: sql`excluded.value`, updatedAt: sql`excluded.updated_at` },
        }),
    );
  }
  if (statements.length) await db.batch(statements as [(typeof statements)[0], ...typeof statements]);
}

/** Forgets a deleted profile's outcome. */
export async function forgetOutcome(db: Db, profileId: number) {
  await db.delete(appState).where(inArray(appState.key, [keyOf(profileId)]));
}

/** What the API shows of a profile's collection: failing once COLLECTION_FAILING_AFTER runs in a row failed. */
export function collectionState(o: CollectionOutcome | undefined) {
  const failures = o?.failures ?? 0;
  return {
    failing: failures >= COLLECTION_FAILING_AFTER,
    failures,
    last_error: o?.last_error ?? null,
    last_error_at: o?.last_error_at ?? null,
  };
}
