// Deleting what retired versions leave. The activation batch marks versions that fell out of the kept
// window retired (worker/db/models.ts), so they are never active again; here their artifacts are deleted
// from R2 first and their rows after. A failure midway (R2 refusing a delete, the isolate ending) leaves
// retired rows that name their objects, found again by the next sweep: never an object no row names, and
// never an active version's. Runs right after each activation (that profile) and hourly from the cron
// (every profile: what an earlier failure left).
import type { Db } from "../db/client";
import { dropRetired, retiredVersions } from "../db/models";
import { deleteArtifacts } from "./artifact-store";

// Pages of retired versions one sweep deletes at most (90 each); more wait for the next sweep.
const PAGES_PER_SWEEP = 10;

/** Deletes retired versions' artifacts, then their rows; returns how many versions went. */
export async function sweepRetired(env: Env, db: Db, profileId?: number): Promise<number> {
  let swept = 0;
  for (let page = 0; page < PAGES_PER_SWEEP; page++) {
    const rows = await retiredVersions(db, profileId);
    if (rows.length === 0) break;
    await deleteArtifacts(
      env.BUCKET,
      rows.flatMap((r) => (r.key ? [r.key] : [])),
    );
    await dropRetired(
      db,
      rows.map((r) => r.id),
    );
    swept += rows.length;
  }
  return swept;
}
