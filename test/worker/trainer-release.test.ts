// POST /api/trainer/jobs/:id/release: a stopping trainer gives its job back at once, and another
// trainer claims it without waiting for the lease to run out; only the holder may release. And a batch
// of training jobs as large as the fleet is for is queued in one call.
import { env } from "cloudflare:workers";
import { beforeEach, describe, expect, it } from "vitest";
import { minTrainingCandles } from "../../core/models/fold-plan";
import { issueToken } from "../../worker/auth/tokens";
import { Job, QueuedJobs } from "../../worker/contract/jobs";
import { Claimed } from "../../worker/contract/trainer";
import { queueTraining, resetFleet } from "./fleet-helpers";
import { bootstrapAdmin, call, insertProfile, storeHours } from "./helpers";

const tokenOf = (sub: string) => issueToken(env, "trainer", { sub, ver: 0 });
const claim = async (sub: string) =>
  call("POST", "/api/trainer/jobs/claim", { token: await tokenOf(sub), body: {} });
const release = async (sub: string, id: number) =>
  call("POST", `/api/trainer/jobs/${id}/release`, { token: await tokenOf(sub), body: { worker_id: sub } });
const row = (id: number) => env.DB.prepare("select * from jobs where id = ?").bind(id).first<any>();

beforeEach(async () => {
  await resetFleet();
});

describe("releasing a claimed training job", () => {
  it("queues it again at once with its attempt given back, and another trainer takes it", async () => {
    const [id] = await queueTraining(1);
    expect(Claimed.parse((await claim("stopping-1")).json).job.id).toBe(id);
    expect((await row(id)).attempts).toBe(1);
    const res = await release("stopping-1", id);
    expect(res.status).toBe(200);
    const released = Job.parse(res.json);
    expect(released).toMatchObject({ id, status: "queued", attempts: 0 });
    expect(released.message).toMatch(/released by stopping-1/);
    const after = await row(id);
    expect(after.lease_owner).toBeNull();
    expect(after.lease_expires_at).toBeNull();
    const next = await claim("other-1");
    expect(next.status).toBe(200);
    expect(Claimed.parse(next.json).job).toMatchObject({ id, status: "running", attempts: 1 });
  });

  it("is refused to a trainer that does not hold the job, and changes nothing", async () => {
    const [id] = await queueTraining(1);
    await claim("holder-1");
    const res = await release("intruder-1", id);
    expect(res.status).toBe(409);
    expect(res.error?.code).toBe("lease_lost");
    expect(await row(id)).toMatchObject({ status: "running", lease_owner: "holder-1", attempts: 1 });
    const spoofed = await call("POST", `/api/trainer/jobs/${id}/release`, {
      token: await tokenOf("intruder-1"),
      body: { worker_id: "holder-1" },
    });
    expect(spoofed.status).toBe(403);
  });

  it("is refused once the lease ran out (the job is another trainer's to claim)", async () => {
    const [id] = await queueTraining(1);
    await claim("late-1");
    await env.DB.prepare("update jobs set lease_expires_at = unixepoch() - 5 where id = ?").bind(id).run();
    expect((await release("late-1", id)).status).toBe(409);
    expect((await release("late-1", 999_999)).status).toBe(404);
  });
});

describe("queueing many training jobs at once", () => {
  it("queues 25 profiles x 4 models in one call (more rows than one D1 statement binds)", async () => {
    const admin = (await bootstrapAdmin("many@example.com")).token;
    const ids: number[] = [];
    for (let i = 0; i < 25; i++) {
      const id = await insertProfile(`MANY${i}USDT`);
      await storeHours(id, minTrainingCandles());
      ids.push(id);
    }
    const res = await call("POST", "/api/admin/train-models", { token: admin, body: { profile_ids: ids } });
    expect(res.status, res.text).toBe(202);
    const { jobs } = QueuedJobs.parse(res.json);
    expect(jobs).toHaveLength(100);
    expect(new Set(jobs.map((j) => `${j.profile_id}:${j.model_type}`)).size).toBe(100);
    expect(await env.DB.prepare("select count(*) as n from jobs where kind = 'train'").first("n")).toBe(100);
  }, 30_000);
});
