// TrainerContainer: the container-enabled Durable Object of one fleet slot (wrangler.toml [[containers]]).
// It runs the trainer image (trainer/Dockerfile) with the environment the fleet hands it (the Worker's
// URL, the instance's token and name), reports to the fleet when the container exits, and stops it with
// SIGTERM when asked (the trainer releases its job and exits 0; the platform kills it after 15 minutes).
// An alarm keeps the object awake while its container runs, so an exit is noticed even if the monitor
// promise was lost with an evicted object.
import { DurableObject } from "cloudflare:workers";
import { trainerFleet } from "./stubs";

const SIGTERM = 15;
const CHECK_MS = 30_000;

interface Current {
  slot: number;
  generation: number;
  reported: boolean;
}

/** The part of the runtime's `ctx.container` the fleet uses. */
export type ContainerRuntime = Pick<Container, "running" | "start" | "monitor" | "signal">;

export class TrainerContainer extends DurableObject<Env> {
  /** The container runtime; absent under `wrangler dev` without containers and in the test pool. */
  protected runtime(): ContainerRuntime | undefined {
    return this.ctx.container;
  }

  async available(): Promise<boolean> {
    return this.runtime() !== undefined;
  }

  /** Whether the container of run `generation` is running. */
  async running(generation: number): Promise<boolean> {
    const current = await this.ctx.storage.get<Current>("current");
    return current?.generation === generation && (this.runtime()?.running ?? false);
  }

  async start(generation: number, env: Record<string, string>) {
    const rt = this.runtime();
    if (!rt) throw new Error("no container runtime here (wrangler dev runs without containers: see README)");
    const slot = Number(/^fleet-(\d+)-/.exec(env.TRAINER_ID)?.[1]);
    if (rt.running) throw new Error(`slot ${slot} still runs an earlier container`);
    await this.ctx.storage.put<Current>("current", { slot, generation, reported: false });
    rt.start({ env, enableInternet: true });
    this.watch(rt, generation);
    await this.ctx.storage.setAlarm(Date.now() + CHECK_MS);
  }

  async stop(generation: number) {
    const current = await this.ctx.storage.get<Current>("current");
    const rt = this.runtime();
    if (current?.generation === generation && rt?.running) rt.signal(SIGTERM);
  }

  override async alarm() {
    const current = await this.ctx.storage.get<Current>("current");
    if (!current || current.reported) return;
    if (this.runtime()?.running) await this.ctx.storage.setAlarm(Date.now() + CHECK_MS);
    else await this.report(current.generation, "exited", false);
  }

  private watch(rt: ContainerRuntime, generation: number) {
    this.ctx.waitUntil(
      rt.monitor().then(
        () => this.report(generation, "exited", false),
        (err: unknown) =>
          this.report(generation, `failed: ${err instanceof Error ? err.message : String(err)}`, true),
      ),
    );
  }

  private async report(generation: number, detail: string, failed: boolean) {
    const current = await this.ctx.storage.get<Current>("current");
    if (!current || current.generation !== generation || current.reported) return;
    await this.ctx.storage.put<Current>("current", { ...current, reported: true });
    await trainerFleet(this.env).exited(current.slot, generation, detail, failed);
  }
}
