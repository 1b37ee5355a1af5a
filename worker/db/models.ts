// Model versions: a version becomes active only once its artifact is complete and valid; the last
// MODELS_KEPT versions of each (profile, type) are kept, older ones are marked retired until their
// artifacts are deleted (worker/models/retired-sweep.ts).
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { Db } from "./client";
import { forget, Memo } from "./memo";
import { mlModels, tradingProfiles } from "./schema";

export const MODELS_KEPT = 5;
const dialect = new SQLiteAsyncDialect();
export type ModelRow = typeof mlModels.$inferSelect;

export const publicModel = (m: ModelRow & { symbol: string | null }) => ({
  id: m.id,
  profile_id: m.profileId,
  symbol: m.symbol,
  model_type: m.modelType,
  version: m.version,
  status: m.status,
  active: m.active,
  trained_at: m.trainedAt,
  trained_on: m.trainedOn,
  parameters: m.parameters,
  metrics: m.metrics,
  artifact_sha256: m.artifactSha256,
  artifact_bytes: m.artifactBytes,
});

export async function listModels(db: Db, profileId?: number) {
  const rows = await db
    .select({ m: mlModels, symbol: tradingProfiles.symbol })
    .from(mlModels)
    .leftJoin(tradingProfiles, eq(mlModels.profileId, tradingProfiles.id))
    .where(profileId === undefined ? undefined : eq(mlModels.profileId, profileId))
    .orderBy(mlModels.profileId, mlModels.modelType, desc(mlModels.version));
  return rows.map((r) => ({ ...r.m, symbol: r.symbol }));
}

export async function activeModels(db: Db, profileId: number) {
  return db
    .select()
    .from(mlModels)
    .where(and(eq(mlModels.profileId, profileId), eq(mlModels.active, true)))
    .orderBy(mlModels.modelType);
}

const active = new Memo<number, ModelRow[]>(["models", "profiles"]);

/** activeModels read at most FACTS_TTL_MS ago: a version activated elsewhere is served within that. */
export const activeModelsMemo = (db: Db, profileId: number) =>
  active.get(profileId, () => activeModels(db, profileId));

export interface NewVersion {
  profileId: number;
  modelType: string;
  jobId: number;
  trainedOn: NonNullable<ModelRow["trainedOn"]>;
  parameters: Record<string, unknown>;
  metrics: NonNullable<ModelRow["metrics"]>;
  artifactKey: string;
  artifactSha256: string;
  artifactBytes: number;
}

/** The training job a version comes from and who must still hold its lease for it to count. */
export interface JobLease {
  owner: string;
  now: Date;
}

/**
 * Adds a ready version and makes it the active one in one batch (D1 runs a batch as a transaction), so
 * readers never see zero or two active versions. With a `lease`, the same batch first finishes the
 * job, and only if `lease.owner` still holds it with a live lease; every later statement is guarded
 * by that, so a lost lease changes nothing at all (null). The same batch marks versions that fell
 * out of the kept window retired (their artifacts are deleted afterwards, then their rows). Returns
 * the new row.
 */
export async function activateVersion(db: Db, v: NewVersion, lease?: JobLease) {
  const t = Math.floor((lease?.now ?? new Date()).getTime() / 1000);
  const mark = `completing ${crypto.randomUUID()}`;
  const held = lease ? sql`exists (select 1 from jobs where id = ${v.jobId} and message = ${mark})` : sql`1`;
  const same = sql`profile_id = ${v.profileId} and model_type = ${v.modelType}`;
  const json = (o: Record<string, unknown>) => JSON.stringify(o);
  const statements = [
    sql`update ml_models set active = 0 where ${same} and ${held}`,
    sql`
      insert into ml_models (profile_id, model_type, version, status, active, job_id, trained_at,
        trained_on, parameters, metrics, artifact_key, artifact_sha256, artifact_bytes)
      select ${v.profileId}, ${v.modelType},
        (select coalesce(max(version), 0) + 1 from ml_models where ${same}), 'ready', 1, ${v.jobId}, ${t},
        ${json(v.trainedOn)}, ${json(v.parameters)}, ${json(v.metrics)}, ${v.artifactKey},
        ${v.artifactSha256}, ${v.artifactBytes}
      where ${held}
      returning id`,
    sql`
      update ml_models set status = 'retired'
      where ${same} and active = 0 and ${held}
        and version <= (select max(version) from ml_models where ${same}) - ${MODELS_KEPT}`,
    sql`update trading_profiles set models_trained = 1, updated_at = ${t} where id = ${v.profileId} and ${held}`,
  ];
  if (lease) {
    statements.unshift(sql`
      update jobs set status = 'succeeded', progress = 1, error = null, message = ${mark},
        finished_at = ${t}, updated_at = ${t}, lease_expires_at = null
      where id = ${v.jobId} and kind = 'train' and status = 'running' and lease_owner = ${lease.owner}
        and lease_expires_at >= ${t}`);
    statements.push(sql`
      update jobs set message = ${v.modelType} || ' v' ||
        (select version from ml_models where job_id = ${v.jobId} and ${same} and active = 1) || ' active'
      where id = ${v.jobId} and message = ${mark}`);
  }
  // Raw D1 batch: drizzle's batch cannot carry these INSERT ... SELECT statements.
  const results = await db.$client.batch(
    statements.map((q) => {
      const { sql: text, params } = dialect.sqlToQuery(q);
      return db.$client.prepare(text).bind(...params);
    }),
  );
  forget("models");
  forget("profiles");
  const inserted = results[lease ? 2 : 1].results as { id: number }[];
  if (!inserted[0]) return null;
  const model = (await db.select().from(mlModels).where(eq(mlModels.id, inserted[0].id)))[0];
  return { model };
}

// D1 binds at most 100 parameters a statement: dropRetired binds the ids and the status.
const RETIRED_PER_CALL = 90;

/** Retired versions (of one profile, or all), oldest first: their rows and artifact keys. */
export async function retiredVersions(db: Db, profileId?: number, limit = RETIRED_PER_CALL) {
  const retired = eq(mlModels.status, "retired");
  return db
    .select({ id: mlModels.id, key: mlModels.artifactKey })
    .from(mlModels)
    .where(profileId === undefined ? retired : and(retired, eq(mlModels.profileId, profileId)))
    .orderBy(mlModels.id)
    .limit(limit);
}

/** Deletes the rows of retired versions (their evaluations go with them); active ones never. */
export async function dropRetired(db: Db, ids: readonly number[]) {
  if (ids.length === 0) return;
  await db.delete(mlModels).where(and(inArray(mlModels.id, [...ids]), eq(mlModels.status, "retired")));
  forget("models");
}
