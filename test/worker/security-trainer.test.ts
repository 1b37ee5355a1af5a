// Probes of issue 12 items 1 and 3 and issue 8 item 13: expired leases, trainer token scope, and an
// atomic completion that a lost lease cannot half-apply.
import { env } from "cloudflare:workers";
import { SignJWT } from "jose";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { minTrainingCandles } from "../../core/models/fold-plan";
import { issueToken } from "../../worker/auth/tokens";
import { installFaults } from "./faults";
import {
  api,
  bearer,
  bootstrapAdmin,
  call,
  claimJob,
  expectJson,
  insertProfile,
  queueBackfill,
  storeHours,
} from "./helpers";

let admin: string;
let profileId: number;
let otherProfileId: number;

const as = (worker: string) => issueToken(env, "trainer", { sub: worker, ver: 0 });
const hex = async (bytes: Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
const artifact = new TextEncoder().encode(
  JSON.stringify({ kind: "arima", order: [1, 1, 0], ar: [0.2], ma: [], const: 0, sigma2: 1e-5 }),
);
const metrics = { timeframe: "1h", horizon: 1, n: 10, mae: 1, naive_mae: 1.1, skill: 0.09 };

/** The job `worker` claims (the claim answered 200). */
const claim = async (worker: string) => (await claimJob(await as(worker), worker)).job;
const progress = async (id: number, worker: string) =>
  call("POST", `/api/trainer/jobs/${id}/progress`, {
    token: await as(worker),
    body: { worker_id: worker, progress: 0.5 },
  });
const upload = async (id: number, worker: string) =>
  call("PUT", `/api/trainer/jobs/${id}/artifact?worker_id=${worker}`, {
    token: await as(worker),
    rawBody: artifact,
    headers: { "content-type": "application/octet-stream", "x-artifact-sha256": await hex(artifact) },
  });
const complete = async (id: number, worker: string) =>
  call("POST", `/api/trainer/jobs/${id}/complete`, {
    token: await as(worker),
    body: {
      worker_id: worker,
      artifact_sha256: await hex(artifact),
      trained_on: { timeframe: "1h", from: 0, to: 3600 },
      parameters: {},
      metrics,
    },
  });
const fail = async (id: number, worker: string) =>
  call("POST", `/api/trainer/jobs/${id}/fail`, {
    token: await as(worker),
    body: { worker_id: worker, error: "late" },
  });
const expire = (id: number) =>
  env.DB.prepare("update jobs set lease_expires_at = unixepoch() - 1 where id = ?").bind(id).run();
const jobRow = (id: number) => env.DB.prepare("select * from jobs where id = ?").bind(id).first<any>();
const activeModels = () =>
  env.DB.prepare("select count(*) as n from ml_models where profile_id = ? and active = 1")
    .bind(profileId)
    .first<number>("n");

async function queueOne() {
  const queued = api.admin["train-models"].$post(
    { json: { profile_ids: [profileId], model_types: ["arima"] } },
    bearer(admin),
  );
  return (await expectJson(queued, 202)).jobs[0].id;
}

beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
  profileId = await insertProfile("LEASEUSDT");
  otherProfileId = await insertProfile("OTHERUSDT");
  for (const id of [profileId, otherProfileId]) await storeHours(id, minTrainingCandles());
});

// Each probe starts from an empty queue.
beforeEach(async () => {
  await env.DB.prepare("update jobs set status = 'cancelled' where status in ('queued', 'running')").run();
});

describe("an expired lease is lost (issue 12.1)", () => {
  it("answers 409 to report, upload, complete and fail once the lease ran out, nobody re-claiming", async () => {
    const id = await queueOne();
    expect((await claim("slow")).id).toBe(id);
    expect((await upload(id, "slow")).status).toBe(201);
    await expire(id);
    const before = await jobRow(id);
    for (const res of [await progress(id, "slow"), await upload(id, "slow"), await complete(id, "slow")]) {
      expect(res.status).toBe(409);
      expect(res.error?.code).toBe("lease_lost");
    }
    expect((await fail(id, "slow")).status).toBe(409);
    expect(await jobRow(id)).toEqual(before); // the lease was not revived, nothing changed
    expect(await activeModels()).toBe(0);
    // Another trainer takes it over and can finish it.
    expect(await claim("fresh")).toMatchObject({ id, attempts: 2 });
    expect((await progress(id, "slow")).status).toBe(409);
    expect((await upload(id, "fresh")).status).toBe(201);
    expect((await complete(id, "fresh")).status).toBe(200);
    expect(await activeModels()).toBe(1);
  });

  it("a progress report on a finished job is 409, not 200 (issue 12.3)", async () => {
    const id = await queueOne();
    await claim("t1");
    await upload(id, "t1");
    expect((await complete(id, "t1")).status).toBe(200);
    expect((await progress(id, "t1")).status).toBe(409);
    expect((await jobRow(id)).status).toBe("succeeded");
  });
});

describe("completion is one batch guarded by the lease (issue 8.13)", () => {
  it("a lease lost between the check and the batch leaves no new active version and the job as it was", async () => {
    const id = await queueOne();
    await claim("racer");
    await upload(id, "racer");
    const versions = await env.DB.prepare("select count(*) as n from ml_models").first<number>("n");
    // The admin cancels between upload and completion: completion must change nothing.
    expect((await call("POST", `/api/admin/jobs/${id}/cancel`, { token: admin })).status).toBe(200);
    expect((await complete(id, "racer")).status).toBe(409);
    expect(await env.DB.prepare("select count(*) as n from ml_models").first<number>("n")).toBe(versions);
    expect((await jobRow(id)).status).toBe("cancelled");
  });

  it("activateVersion with a stale lease writes nothing at all", async () => {
    const { activateVersion } = await import("../../worker/db/models");
    const { getDb } = await import("../../worker/db/client");
    const id = await queueOne();
    await claim("ghost");
    await expire(id);
    const version = {
      profileId,
      modelType: "arima",
      jobId: id,
      trainedOn: { timeframe: "1h", from: 0, to: 3600 },
      parameters: {},
      metrics,
      artifactKey: "models/x",
      artifactSha256: "0".repeat(64),
      artifactBytes: 1,
    };
    const before = await env.DB.prepare("select count(*) as n from ml_models").first<number>("n");
    expect(await activateVersion(getDb(env.DB), version, { owner: "ghost", now: new Date() })).toBeNull();
    expect(await env.DB.prepare("select count(*) as n from ml_models").first<number>("n")).toBe(before);
    expect(await activeModels()).toBe(1);
    expect((await jobRow(id)).status).toBe("running");
  });
});

describe("trainer tokens are narrow (issue 12.3)", () => {
  const mint = (sub: string, iat: number, exp: number) =>
    new SignJWT({ ver: 0 })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .setSubject(sub)
      .setIssuer("moneymoney")
      .setAudience("trainer")
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .sign(new TextEncoder().encode(env.TRAINER_TOKEN));

  it("refuses a token that lives longer than 15 minutes or is dated ahead", async () => {
    const now = Math.floor(Date.now() / 1000);
    // A job nobody holds: a valid token gets 409, a refused one 401.
    const probe = (token: string) =>
      call("POST", "/api/trainer/jobs/999999/progress", {
        token,
        body: { worker_id: "long", progress: 0.1 },
      });
    expect((await probe(await mint("long", now, now + 10 * 365 * 86400))).status).toBe(401);
    expect((await probe(await mint("long", now, now + 15 * 60 + 1))).status).toBe(401);
    expect((await probe(await mint("long", now + 3600, now + 3600 + 60))).status).toBe(401);
    expect((await probe(await mint("long", now, now + 15 * 60))).status).toBe(409);
  });

  it("ties worker_id to the token's subject", async () => {
    const id = await queueOne();
    const res = await call("POST", "/api/trainer/jobs/claim", {
      token: await as("alice"),
      body: { worker_id: "bob" },
    });
    expect(res.status).toBe(403);
    expect(res.error?.code).toBe("worker_mismatch");
    expect((await jobRow(id)).status).toBe("queued");
    expect((await claim("alice")).id).toBe(id);
    // bob's token cannot act on alice's lease by naming her in the body.
    const spoof = await call("POST", `/api/trainer/jobs/${id}/progress`, {
      token: await as("bob"),
      body: { worker_id: "alice", progress: 0.9 },
    });
    expect(spoof.status).toBe(403);
    expect((await progress(id, "bob")).status).toBe(409);
    expect((await jobRow(id)).progress).toBe(0);
  });

  it("serves candles only for the job the trainer holds", async () => {
    const id = await queueOne();
    await claim("reader");
    const [{ id: collectId }] = await queueBackfill(admin, ["OTHERUSDT"], 1);
    const read = async (job: number, worker: string) =>
      call("GET", `/api/trainer/jobs/${job}/candles?timeframe=1h&limit=10`, { token: await as(worker) });
    expect((await read(id, "reader")).status).toBe(200);
    expect((await read(id, "someone-else")).status).toBe(409);
    expect([404, 409]).toContain((await read(collectId, "reader")).status);
    expect(otherProfileId).toBeGreaterThan(0);
  });
});

describe("faults mid-activation (issue 22.11)", () => {
  const versions = async () =>
    (await env.DB.prepare("select count(*) as n from ml_models").first<number>("n")) ?? 0;

  it("a completion whose D1 batch fails activates nothing and the job stays held; the retry activates one version", async () => {
    await env.DB.prepare("update ml_models set active = 0 where profile_id = ?").bind(profileId).run();
    const id = await queueOne();
    await claim("flaky-db");
    expect((await upload(id, "flaky-db")).status).toBe(201);
    const before = await versions();
    const faults = installFaults();
    try {
      const batch = faults.failD1(/insert into ml_models/);
      expect((await complete(id, "flaky-db")).status).toBe(500);
      expect(batch.failed).toBe(1);
    } finally {
      faults.restore();
    }
    expect(await versions()).toBe(before);
    expect(await activeModels()).toBe(0);
    expect((await jobRow(id)).status).toBe("running");
    expect((await complete(id, "flaky-db")).status).toBe(200);
    expect(await versions()).toBe(before + 1);
    expect(await activeModels()).toBe(1);
    expect((await jobRow(id)).status).toBe("succeeded");
  });

  it("a completion whose R2 check fails changes nothing; the retry activates one version", async () => {
    await env.DB.prepare("update ml_models set active = 0 where profile_id = ?").bind(profileId).run();
    const id = await queueOne();
    await claim("flaky-r2");
    expect((await upload(id, "flaky-r2")).status).toBe(201);
    const before = await versions();
    const faults = installFaults();
    try {
      faults.failR2("head", /models\//);
      faults.failR2("get", /models\//);
      expect((await complete(id, "flaky-r2")).status).toBe(500);
    } finally {
      faults.restore();
    }
    expect(await versions()).toBe(before);
    expect((await jobRow(id)).status).toBe("running");
    expect((await complete(id, "flaky-r2")).status).toBe(200);
    expect(await versions()).toBe(before + 1);
    expect(await activeModels()).toBe(1);
  });
});
