// Model versions: a version becomes active only once its artifact is complete and valid; the last
// MODELS_KEPT versions of each (profile, type) are kept.
import { and, desc, eq, lt, sql } from "drizzle-orm";
import type { Db } from "./client";
import { mlModels, tradingProfiles } from "./schema";

export const MODELS_KEPT = 5;
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

/**
 * Adds a ready version and makes it the active one in one batch (D1 runs a batch as a transaction), so
 * readers never see zero or two active versions. Returns the new row and the artifact keys of versions
 * that fell out of the kept window (the caller deletes those objects).
 */
export async function activateVersion(db: Db, v: NewVersion) {
  const next = sql`(select coalesce(max(version), 0) + 1 from ml_models where profile_id = ${v.profileId} and model_type = ${v.modelType})`;
  const [, inserted] = await db.batch([
    db
      .update(mlModels)
      .set({ active: false })
      .where(and(eq(mlModels.profileId, v.profileId), eq(mlModels.modelType, v.modelType))),
    db
      .insert(mlModels)
      .values({ ...v, version: next, status: "ready", active: true, trainedAt: new Date() })
      .returning(),
    db
      .update(tradingProfiles)
      .set({ modelsTrained: true, updatedAt: new Date() })
      .where(eq(tradingProfiles.id, v.profileId)),
  ]);
  const model = inserted[0];
  const stale = await db
    .select({ id: mlModels.id, key: mlModels.artifactKey })
    .from(mlModels)
    .where(
      and(
        eq(mlModels.profileId, v.profileId),
        eq(mlModels.modelType, v.modelType),
        lt(mlModels.version, model.version - MODELS_KEPT + 1),
      ),
    );
  for (const s of stale) await db.delete(mlModels).where(eq(mlModels.id, s.id));
  return { model, staleKeys: stale.map((s) => s.key).filter((k): k is string => !!k) };
}
