// Rolling-evaluation forecasts of model versions, and the stored backtest of a profile's active set.
import { eq, inArray } from "drizzle-orm";
import type { Db } from "./client";
import { modelBacktests, modelEvaluations } from "./schema";

export type Evaluation = typeof modelEvaluations.$inferSelect;

export async function saveEvaluation(db: Db, e: Evaluation) {
  await db.insert(modelEvaluations).values(e).onConflictDoNothing();
}

export async function evaluationsOf(db: Db, modelIds: number[]): Promise<Evaluation[]> {
  if (modelIds.length === 0) return [];
  return db.select().from(modelEvaluations).where(inArray(modelEvaluations.modelId, modelIds));
}

/** The set key of a backtest: the active model ids, ascending. */
export const modelSetKey = (ids: readonly number[]) => [...ids].sort((a, b) => a - b).join(",");

export async function saveBacktest(
  db: Db,
  profileId: number,
  modelIds: string,
  body: Record<string, unknown>,
) {
  const row = { profileId, modelIds, computedAt: new Date(), body };
  await db
    .insert(modelBacktests)
    .values(row)
    .onConflictDoUpdate({
      target: modelBacktests.profileId,
      set: { modelIds, computedAt: row.computedAt, body },
    });
}

export async function getBacktest(db: Db, profileId: number) {
  const [row] = await db.select().from(modelBacktests).where(eq(modelBacktests.profileId, profileId));
  return row ?? null;
}
