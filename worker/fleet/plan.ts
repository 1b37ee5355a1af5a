// What the trainer fleet should do now, from what the queue holds and what runs: pure, so the rules
// are tested without a container runtime. Instances are never more than the claimable jobs plus the
// jobs they hold, never more than the maximum; an idle one the queue no longer needs is stopped.
import type { ContainerState } from "../../core/jobs";

export interface InstanceRecord {
  slot: number;
  /** Grows with every start of the slot: the instance is `fleet-SLOT-GENERATION`. */
  generation: number;
  state: ContainerState;
  startedAt: number;
  stoppedAt?: number;
  /** Why it stopped or failed; why nothing could start. */
  detail?: string;
}

export const instanceId = (r: Pick<InstanceRecord, "slot" | "generation">) =>
  `fleet-${r.slot}-${r.generation}`;
export const isLive = (r: InstanceRecord) => r.state === "starting" || r.state === "running";

export interface FleetPlan {
  /** Slots to start, lowest free first. */
  start: number[];
  /** Live instances to stop (SIGTERM: they release what they hold and exit), newest first. */
  stop: InstanceRecord[];
}

/**
 * `claimable`: training jobs a trainer could claim now; `held`: ids of live instances holding a job
 * under a live lease. Wanted instances = min(max, claimable + held); a live instance holding nothing
 * beyond that is stopped, and free slots are started up to it.
 */
export function planFleet(
  instances: readonly InstanceRecord[],
  claimable: number,
  held: ReadonlySet<string>,
  max: number,
): FleetPlan {
  const live = instances.filter(isLive);
  const busy = live.filter((r) => held.has(instanceId(r)));
  const wanted = Math.min(max, claimable + busy.length);
  const idle = live.filter((r) => !held.has(instanceId(r))).sort((a, b) => b.startedAt - a.startedAt);
  const stop = idle.slice(0, Math.max(0, live.length - Math.max(wanted, busy.length)));
  const taken = new Set(live.map((r) => r.slot));
  const start: number[] = [];
  for (let slot = 0; slot < max && live.length + start.length < wanted; slot++)
    if (!taken.has(slot)) start.push(slot);
  return { start, stop };
}
