// The trainer fleet: instances start only for claimable training jobs, never more than the maximum,
// are stopped when the queue no longer needs them, and their tokens are the instance's own, short, and
// refused once expired or once the fleet no longer runs the instance.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { jwtVerify } from "jose";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { issueToken } from "../../worker/auth/tokens";
import { TOKEN_TTL_SECONDS } from "../../worker/config";
import { Trainer } from "../../worker/contract/jobs";
import { Claimed, RenewedToken } from "../../worker/contract/trainer";
import { wakeFleetForWaitingJobs } from "../../worker/cron";
import { trainerFleet } from "../../worker/fleet/stubs";
import { eventually, type FakeRuntime, queueTraining, resetFleet, started } from "./fleet-helpers";
import { bootstrapAdmin, call } from "./helpers";

const trainerList = async (admin: string) =>
  Trainer.array().parse((await call("GET", "/api/admin/trainers", { token: admin })).json);

const ORIGIN = "https://mm.example";
const MAX = Number(env.TRAINER_MAX_INSTANCES);
let runtimes: FakeRuntime[];
let admin: string;

beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
});

beforeEach(async () => {
  runtimes = await resetFleet();
});

const wake = () => trainerFleet(env).wake(ORIGIN);
const liveIds = async () =>
  (await trainerFleet(env).status()).instances
    .filter((r) => r.state === "starting" || r.state === "running")
    .map((r) => `fleet-${r.slot}-${r.generation}`);
const claimAs = async (token: string) => call("POST", "/api/trainer/jobs/claim", { token, body: {} });

describe("TrainerFleet: how many instances", () => {
  it("starts nothing while no training job waits, and sets no alarm (scale to zero)", async () => {
    await wake();
    expect(started(runtimes)).toEqual([]);
    expect(await runDurableObjectAlarm(trainerFleet(env))).toBe(false);
  });

  it("starts one instance per queued job, each with its own name and the Worker's URL", async () => {
    await queueTraining(2);
    await wake();
    const starts = started(runtimes);
    expect(starts.map((s) => s.env?.TRAINER_ID).sort()).toEqual(["fleet-0-1", "fleet-1-1"]);
    for (const s of starts) {
      expect(s.env?.WORKER_URL).toBe(ORIGIN);
      expect(s.env).not.toHaveProperty("TRAINER_TOKEN");
    }
    // A second wake for the same queue starts nothing more.
    await wake();
    expect(started(runtimes)).toHaveLength(2);
  });

  it(`never runs more than TRAINER_MAX_INSTANCES (${MAX}) whatever the queue holds`, async () => {
    expect(MAX).toBe(4);
    await queueTraining(9);
    await wake();
    await wake();
    expect(started(runtimes)).toHaveLength(MAX);
    expect(await liveIds()).toHaveLength(MAX);
  });

  it("stops idle instances the queue no longer needs, keeps the busy one, restarts for new jobs", async () => {
    const [a, b] = await queueTraining(2);
    await wake();
    // fleet-0-1 claims job a; job b is cancelled: one instance is now more than the queue needs.
    const token = started(runtimes).find((s) => s.env?.TRAINER_ID === "fleet-0-1")!.env!.TRAINER_ACCESS_TOKEN;
    const claimed = await claimAs(token);
    expect(Claimed.parse(claimed.json).job.id).toBe(a);
    await env.DB.prepare("update jobs set status = 'cancelled' where id = ?").bind(b).run();
    expect(await runDurableObjectAlarm(trainerFleet(env))).toBe(true);
    expect(runtimes[0].signals).toEqual([]);
    expect(runtimes[1].signals).toEqual([15]);
    runtimes[1].exit(); // its trainer released nothing and exited 0
    await eventually(
      async () =>
        (await trainerFleet(env).status()).instances.some((r) => r.slot === 1 && r.state === "stopped"),
      "the stopped instance reported",
    );
    expect(await liveIds()).toEqual(["fleet-0-1"]);
    // A new job: the free slot starts again, as a new generation.
    await queueTraining(1);
    await wake();
    expect(runtimes[1].starts.at(-1)?.env?.TRAINER_ID).toBe("fleet-1-2");
  });

  it("the cron wakes it for waiting jobs only when no trainer is live", async () => {
    await wake(); // the fleet learns the Worker's URL (the train route tells it)
    await queueTraining(1);
    await env.DB.prepare("insert into trainers (id, last_seen) values ('laptop', unixepoch())").run();
    expect(await wakeFleetForWaitingJobs(env, new Date())).toBe(false);
    expect(started(runtimes)).toEqual([]);
    await env.DB.prepare("update trainers set last_seen = unixepoch() - 120").run();
    expect(await wakeFleetForWaitingJobs(env, new Date())).toBe(true);
    expect(started(runtimes)).toHaveLength(1);
  });
});

describe("GET /api/admin/trainers with the fleet", () => {
  it("lists the container instances with their state beside external trainers", async () => {
    const [a] = await queueTraining(2);
    await wake();
    const token = started(runtimes).find((s) => s.env?.TRAINER_ID === "fleet-0-1")!.env!.TRAINER_ACCESS_TOKEN;
    await claimAs(token);
    await env.DB.prepare("insert into trainers (id, last_seen) values ('laptop', unixepoch())").run();
    const list = await trainerList(admin);
    const byId = Object.fromEntries(list.map((t) => [t.id, t]));
    expect(byId.laptop).toMatchObject({ kind: "external" });
    expect(byId.laptop).not.toHaveProperty("state");
    expect(byId["fleet-0-1"]).toMatchObject({ kind: "container", state: "starting", job_id: a });
    expect(Date.parse(byId["fleet-0-1"].last_seen!)).toBeGreaterThan(Date.now() - 60_000);
    expect(byId["fleet-1-1"]).toMatchObject({ kind: "container", state: "starting", last_seen: null });
    runtimes[1].exit();
    await eventually(
      async () =>
        (await trainerFleet(env).status()).instances.some(
          (r) => r.generation === 1 && r.slot === 1 && r.state === "stopped",
        ),
      "the exit reported",
    );
    // Job b still waits: the slot starts again as a new instance, and the old one is listed as stopped.
    const after = await trainerList(admin);
    expect(after.find((t) => t.id === "fleet-1-1")).toMatchObject({
      state: "stopped",
      detail: "exited",
    });
    expect(after.find((t) => t.id === "fleet-1-2")).toMatchObject({ state: "starting" });
  }, 20_000);
});

describe("fleet tokens", () => {
  it("are the instance's own: audience fleet, its name as subject, at most 20 minutes", async () => {
    await queueTraining(1);
    await wake();
    const { TRAINER_ACCESS_TOKEN: token, TRAINER_ID: id } = started(runtimes)[0].env!;
    const key = new TextEncoder().encode(env.FLEET_JWT_SECRET);
    const { payload, protectedHeader } = await jwtVerify(token, key, {
      audience: "fleet",
      algorithms: ["HS256"],
    });
    expect(protectedHeader.alg).toBe("HS256");
    expect(payload.sub).toBe(id);
    expect(payload.exp! - payload.iat!).toBeLessThanOrEqual(TOKEN_TTL_SECONDS.fleet);
    expect(TOKEN_TTL_SECONDS.fleet).toBeLessThanOrEqual(3600);
    // Not a key to the other audiences.
    await expect(
      jwtVerify(token, new TextEncoder().encode(env.TRAINER_TOKEN), { algorithms: ["HS256"] }),
    ).rejects.toThrow();
    expect(Claimed.parse((await claimAs(token)).json).job.id).toBeGreaterThan(0);
  });

  it("are refused once expired", async () => {
    await queueTraining(1);
    await wake();
    const long = Math.floor(Date.now() / 1000) - TOKEN_TTL_SECONDS.fleet - 5;
    const expired = await issueToken(env, "fleet", { sub: "fleet-0-1", ver: 0 }, long);
    const res = await claimAs(expired);
    expect(res.status).toBe(401);
    expect(res.error?.code).toBe("token_expired");
  });

  it("are renewed while the instance runs and never after it stopped", async () => {
    await queueTraining(1);
    await wake();
    const token = started(runtimes)[0].env!.TRAINER_ACCESS_TOKEN;
    const answer = await call("POST", "/api/trainer/token", { token });
    expect(answer.status).toBe(200);
    const renewed = RenewedToken.parse(answer.json);
    expect(Date.parse(renewed.expires_at)).toBeGreaterThan(Date.now() + 19 * 60_000);
    expect((await claimAs(renewed.token)).status).toBe(200);
    runtimes[0].exit();
    await eventually(async () => (await liveIds()).length === 0, "the instance's exit reported");
    const refused = await call("POST", "/api/trainer/token", { token: renewed.token });
    expect(refused.status).toBe(401);
    expect(refused.error?.code).toBe("instance_stopped");
  });

  it("keep the two kinds apart: no external token names an instance, no fleet token names anyone else", async () => {
    const external = await issueToken(env, "trainer", { sub: "fleet-0-1", ver: 0 });
    expect((await claimAs(external)).status).toBe(401);
    const stray = await issueToken(env, "fleet", { sub: "laptop-1", ver: 0 });
    expect((await claimAs(stray)).status).toBe(401);
    const renewal = await call("POST", "/api/trainer/token", {
      token: await issueToken(env, "trainer", { sub: "laptop-1", ver: 0 }),
    });
    expect(renewal.status).toBe(403);
  });
});
