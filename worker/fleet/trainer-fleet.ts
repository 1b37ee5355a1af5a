// TrainerFleet: the one Durable Object that decides how many trainer containers run. Woken by the
// train and retry routes, a released job and the cron (queued jobs, no live trainer), it starts
// TrainerContainer instances for claimable training jobs (worker/fleet/plan.ts: never more than the
// queue needs, never more than TRAINER_MAX_INSTANCES), checks them on an alarm while any lives, stops
// the idle ones the queue no longer needs, and is the authority on which instance names are live: it
// issues and renews their trainer tokens, so a token is never renewed past its instance.
import { DurableObject } from "cloudflare:workers";
import { audienceConfigured, issueToken } from "../auth/tokens";
import {
  FLEET_CHECK_SECONDS,
  FLEET_DEFAULT_MAX_INSTANCES,
  FLEET_IDLE_EXIT_SECONDS,
  FLEET_SUBJECT,
  TOKEN_TTL_SECONDS,
} from "../config";
import { getDb } from "../db/client";
import { trainingDemand } from "../db/job-leases";
import { type InstanceRecord, instanceId, isLive, planFleet } from "./plan";
import { trainerContainer } from "./stubs";

const INSTANCES = "instances";
/** Stopped and failed instances stay listed this long (the admin's trainers list shows why they ended). */
const STOPPED_LISTED_MS = 3_600_000;
const ORIGIN = "origin";

export interface FleetStatus {
  max: number;
  /** Why the fleet cannot start instances here, if it cannot. */
  unavailable: string | null;
  instances: InstanceRecord[];
}

export function maxInstances(env: Env): number {
  const n = Number(env.TRAINER_MAX_INSTANCES ?? FLEET_DEFAULT_MAX_INSTANCES);
  return Number.isInteger(n) && n >= 0 && n <= 100 ? n : FLEET_DEFAULT_MAX_INSTANCES;
}

export class TrainerFleet extends DurableObject<Env> {
  private async load() {
    return (await this.ctx.storage.get<InstanceRecord[]>(INSTANCES)) ?? [];
  }

  /** Starts what the queue needs; `origin` is the Worker's URL as the caller reached it. */
  async wake(origin?: string): Promise<FleetStatus> {
    if (origin) await this.ctx.storage.put(ORIGIN, origin);
    return this.ctx.blockConcurrencyWhile(() => this.reconcile(Date.now()));
  }

  override async alarm() {
    await this.ctx.blockConcurrencyWhile(() => this.reconcile(Date.now()));
  }

  async status(): Promise<FleetStatus> {
    return {
      max: maxInstances(this.env),
      unavailable: await this.unavailable(),
      instances: await this.load(),
    };
  }

  /** Whether `sub` names a live instance: only those get (renewed) tokens. */
  async isLive(sub: string): Promise<boolean> {
    const m = FLEET_SUBJECT.exec(sub);
    if (!m) return false;
    const r = (await this.load()).find((x) => x.slot === Number(m[1]) && x.generation === Number(m[2]));
    return r !== undefined && isLive(r);
  }

  /** A fresh token for a live instance, or null once the fleet no longer runs it. */
  async renew(sub: string): Promise<{ token: string; expiresAt: number } | null> {
    if (!(await this.isLive(sub))) return null;
    const now = Math.floor(Date.now() / 1000);
    const token = await issueToken(this.env, "fleet", { sub, ver: 0 }, now);
    return { token, expiresAt: now + TOKEN_TTL_SECONDS.fleet };
  }

  /** A TrainerContainer reports its instance exited (or failed to run). */
  async exited(slot: number, generation: number, detail: string, failed: boolean) {
    await this.ctx.blockConcurrencyWhile(async () => {
      const list = await this.load();
      const r = list.find((x) => x.slot === slot && x.generation === generation);
      if (!r || !(isLive(r) || r.state === "stopping")) return;
      Object.assign(r, { state: failed ? "failed" : "stopped", stoppedAt: Date.now(), detail });
      await this.ctx.storage.put(INSTANCES, list);
      // More jobs may be waiting (a released one, a failed instance's): start for them.
      await this.reconcile(Date.now());
    });
  }

  private async unavailable(): Promise<string | null> {
    if (!(await trainerContainer(this.env, 0).available()))
      return "no container runtime here (wrangler dev runs without containers: see README)";
    if (!audienceConfigured(this.env, "fleet"))
      return "FLEET_JWT_SECRET is not set: no instance can get a token";
    if (!(this.env.FLEET_WORKER_URL || (await this.ctx.storage.get<string>(ORIGIN))))
      return "the Worker's URL is not known yet (set FLEET_WORKER_URL, or queue training through the API)";
    return null;
  }

  private async reconcile(now: number): Promise<FleetStatus> {
    const max = maxInstances(this.env);
    const list = await this.load();
    // An instance whose container is gone without a report (the monitor was lost) is stopped.
    for (const r of list.filter((x) => isLive(x) || x.state === "stopping")) {
      const running = await trainerContainer(this.env, r.slot)
        .running(r.generation)
        .catch(() => false);
      // (A container just started may not report running yet.)
      if (!running && now - r.startedAt >= FLEET_CHECK_SECONDS * 1000)
        Object.assign(r, {
          state: "stopped",
          stoppedAt: now,
          detail: r.detail ?? "container no longer running",
        });
      else if (running && r.state === "starting") r.state = "running";
    }
    const { claimable, holders } = await trainingDemand(getDb(this.env.DB), new Date(now));
    const plan = planFleet(list, claimable, holders, max);
    for (const r of plan.stop) {
      Object.assign(r, { state: "stopping", detail: "idle: the queue no longer needs it" });
      await trainerContainer(this.env, r.slot)
        .stop(r.generation)
        .catch(() => {});
    }
    const unavailable = plan.start.length ? await this.unavailable() : null;
    for (const slot of unavailable ? [] : plan.start) list.push(await this.startSlot(slot, now));
    await this.ctx.storage.put(
      INSTANCES,
      list.filter(
        (r) => isLive(r) || r.state === "stopping" || now - (r.stoppedAt ?? now) < STOPPED_LISTED_MS,
      ),
    );
    // Checked while any instance lives or jobs wait for one it can start; otherwise the fleet sleeps
    // (scale to zero) until woken.
    const watch = list.some((r) => isLive(r) || r.state === "stopping") || (claimable > 0 && !unavailable);
    if (watch) await this.ctx.storage.setAlarm(now + FLEET_CHECK_SECONDS * 1000);
    else await this.ctx.storage.deleteAlarm();
    return { max, unavailable, instances: list };
  }

  private async startSlot(slot: number, now: number): Promise<InstanceRecord> {
    // Earlier runs of the slot stay listed (stopped, for an hour); the generation counter is stored.
    const generation = ((await this.ctx.storage.get<number>(`generation:${slot}`)) ?? 0) + 1;
    await this.ctx.storage.put(`generation:${slot}`, generation);
    const r: InstanceRecord = { slot, generation, state: "starting", startedAt: now };
    const id = instanceId(r);
    const origin = this.env.FLEET_WORKER_URL || (await this.ctx.storage.get<string>(ORIGIN))!;
    try {
      const token = await issueToken(this.env, "fleet", { sub: id, ver: 0 }, Math.floor(now / 1000));
      await trainerContainer(this.env, slot).start(generation, {
        WORKER_URL: origin,
        TRAINER_ACCESS_TOKEN: token,
        TRAINER_ID: id,
        TRAINER_IDLE_EXIT: String(FLEET_IDLE_EXIT_SECONDS),
      });
    } catch (err) {
      Object.assign(r, {
        state: "failed",
        stoppedAt: now,
        detail: `could not start: ${(err as Error).message}`,
      });
    }
    return r;
  }
}
