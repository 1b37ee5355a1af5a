// The trainer fleet under test: the real TrainerFleet and TrainerContainer objects with a stand-in for
// the container runtime (the test pool runs no containers), which records what the fleet asked of it.
import { runInDurableObject } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { trainerContainer, trainerFleet } from "../../worker/fleet/stubs";
import type { ContainerRuntime } from "../../worker/fleet/trainer-container";
import { insertProfile } from "./helpers";

export interface FakeRuntime extends Omit<ContainerRuntime, "running"> {
  running: boolean;
  starts: { env?: Record<string, string>; enableInternet?: boolean }[];
  signals: number[];
  /** The container's process ends (as after its trainer exited). */
  exit(): void;
}

function fakeRuntime(): FakeRuntime {
  const rt: FakeRuntime = {
    running: false,
    starts: [],
    signals: [],
    start(options) {
      rt.running = true;
      rt.starts.push({ env: options?.env, enableInternet: options?.enableInternet });
    },
    // Polled in the object's own context: a promise settled from the test's would cross contexts.
    async monitor() {
      while (rt.running) await new Promise((r) => setTimeout(r, 10));
    },
    signal(signo) {
      rt.signals.push(signo);
    },
    exit() {
      rt.running = false;
    },
  };
  return rt;
}

export const SLOTS = 6;

/** Empty queue, a fleet that never ran, and fresh runtimes in every slot; returns them by slot. */
export async function resetFleet(): Promise<FakeRuntime[]> {
  await env.DB.prepare("delete from jobs").run();
  await env.DB.prepare("delete from trainers").run();
  await runInDurableObject(trainerFleet(env), async (_i, state) => {
    await state.storage.deleteAlarm();
    await state.storage.deleteAll();
  });
  const runtimes: FakeRuntime[] = [];
  for (let slot = 0; slot < SLOTS; slot++) {
    const rt = fakeRuntime();
    runtimes.push(rt);
    await runInDurableObject(trainerContainer(env, slot), async (instance, state) => {
      await state.storage.deleteAlarm();
      await state.storage.deleteAll();
      (instance as unknown as { runtime: () => ContainerRuntime }).runtime = () => rt;
    });
  }
  return runtimes;
}

let profileId: number | null = null;

/** `n` queued training jobs (what the train route creates). */
export async function queueTraining(n: number) {
  profileId ??= await insertProfile("FLEETUSDT");
  const ids: number[] = [];
  for (let i = 0; i < n; i++)
    ids.push(
      (await env.DB.prepare(
        "insert into jobs (kind, status, profile_id, model_type) values ('train', 'queued', ?, 'garch') returning id",
      )
        .bind(profileId)
        .first("id")) as number,
    );
  return ids;
}

export const started = (runtimes: FakeRuntime[]) => runtimes.flatMap((rt) => rt.starts);

/** Polls until `check` holds (the fleet's reports travel through waitUntil and RPC). */
export async function eventually(check: () => Promise<boolean> | boolean, what: string) {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`never happened: ${what}`);
}
