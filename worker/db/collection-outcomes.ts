// Each profile's collection outcome across cron runs, kept next to the cron's last-run time in app_state:
// how many runs in a row failed, and the last error and when it happened. The admin panel shows a profile
// whose collection keeps failing in an error state instead of leaving a passing line in the live feed.
import { COLLECTION_FAILING_AFTER } from "../config";
import type { Db } from "./client";
import { readState, writeState } from "./state";

export const COLLECTION_OUTCOMES = "collection.outcomes";

export interface CollectionOutcome {
  /** Failed runs in a row (0 after a success). */
  failures: number;
  last_error: string | null;
  /** ISO time of the last failed run. */
  last_error_at: string | null;
}

export type Outcomes = Record<string, CollectionOutcome>;

export const readOutcomes = async (db: Db): Promise<Outcomes> =>
  (await readState<Outcomes>(db, COLLECTION_OUTCOMES)) ?? {};

/**
 * Folds one cron run into the stored outcomes: `errors` maps each profile id the run worked on to its
 * error, or null when it succeeded. Profiles the run did not work on (inactive, deleted) are dropped.
 */
export async function recordOutcomes(db: Db, errors: Map<number, string | null>, at: Date) {
  const before = await readOutcomes(db);
  const next: Outcomes = {};
  for (const [id, error] of errors) {
    const prev = before[id] ?? { failures: 0, last_error: null, last_error_at: null };
    next[id] =
      error === null
        ? { ...prev, failures: 0 }
        : { failures: prev.failures + 1, last_error: error, last_error_at: at.toISOString() };
  }
  await writeState(db, COLLECTION_OUTCOMES, next);
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
