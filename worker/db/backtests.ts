// Rolling-evaluation forecasts of model versions, and the stored backtest of a profile's active set.
import { and, eq, inArray } from "drizzle-orm";
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

/** Replaces every stored backtest of the profile by `runs` ([mode, run, body]) in one batch. */
export async function saveBacktests(
  db: Db,
  profileId: number,
  modelIds: string,
  runs: [mode: string, run: string, body: Record<string, unknown>][],
) {
  const computedAt = new Date();
  const clear = db.delete(modelBacktests).where(eq(modelBacktests.profileId, profileId));
  const inserts = runs.map(([mode, run, body]) =>
    db.insert(modelBacktests).values({ profileId, mode, run, modelIds, computedAt, body }),
  );
  await db.batch([clear, ...inserts]);
}

/** One stored backtest of the profile's model set `modelIds`, or null. */
export async function getBacktest(db: Db, profileId: number, modelIds: string, mode: string, run: string) {
  const [row] = await db
    .select({ body: modelBacktests.body, computedAt: modelBacktests.computedAt })
    .from(modelBacktests)
    .where(
      and(
        eq(modelBacktests.profileId, profileId),
        eq(modelBacktests.mode, mode),
        eq(modelBacktests.run, run),
        eq(modelBacktests.modelIds, modelIds),
      ),
    );
  return row ?? null;
}
