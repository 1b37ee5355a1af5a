// What the rest of the Worker asks of the trainer fleet: wake it when training jobs may need a
// trainer, and its instances for the admin's trainers list. A fleet failure never fails the caller:
// external trainers work without it.
import { TRAINER_PRESENCE_SECONDS } from "../config";
import type { Trainer } from "../contract";
import type { Db } from "../db/client";
import { recentTrainers } from "../db/trainers";
import { type InstanceRecord, instanceId } from "./plan";
import { trainerFleet } from "./stubs";
import type { FleetStatus } from "./trainer-fleet";

export async function wakeFleet(env: Env, origin?: string): Promise<FleetStatus | null> {
  try {
    return await trainerFleet(env).wake(origin);
  } catch (err) {
    console.error(`trainer fleet not woken: ${(err as Error).message}`);
    return null;
  }
}

/** Trainers heard from lately (external ones and instances) and every instance the fleet ran lately. */
export async function listTrainers(env: Env, db: Db, now: Date): Promise<Trainer[]> {
  const seen = await recentTrainers(db, new Date(now.getTime() - TRAINER_PRESENCE_SECONDS * 1000));
  const fleet = await trainerFleet(env)
    .status()
    .catch(() => null);
  const instances = new Map((fleet?.instances ?? []).map((r) => [instanceId(r), r]));
  const described = (r: InstanceRecord) => ({
    kind: "container" as const,
    state: r.state,
    started_at: new Date(r.startedAt).toISOString(),
    ...(r.stoppedAt === undefined ? {} : { stopped_at: new Date(r.stoppedAt).toISOString() }),
    ...(r.detail === undefined ? {} : { detail: r.detail }),
  });
  const rows: Trainer[] = seen.map((t) => {
    const r = instances.get(t.id);
    instances.delete(t.id);
    return r ? { ...t, ...described(r) } : { ...t, kind: "external" };
  });
  for (const [id, r] of instances) rows.push({ id, last_seen: null, ...described(r) });
  return rows;
}
