import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { minTrainingCandles } from "../../core/models/fold-plan";
import { issueToken } from "../../worker/auth/tokens";
import { ARIMA_TEST_METRICS, bootstrapAdmin, call, insertProfile, signup, storeHours } from "./helpers";

const NEEDED = minTrainingCandles();

let admin: string;
let profileId: number;

const hex = async (bytes: Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
const arimaBytes = (ar = 0.1) =>
  new TextEncoder().encode(
    JSON.stringify({ kind: "arima", order: [1, 1, 0], ar: [ar], ma: [], const: 0.0001, sigma2: 1e-5 }),
  );

// A trainer's identity is its token's subject: each worker id gets its own token.
const as = (worker: string) => issueToken(env, "trainer", { sub: worker, ver: 0 });
const claim = async (worker = "w1") =>
  call("POST", "/api/trainer/jobs/claim", { token: await as(worker), body: { worker_id: worker } });
const progress = async (id: number, worker: string, p: number) =>
  call("POST", `/api/trainer/jobs/${id}/progress`, {
    token: await as(worker),
    body: { worker_id: worker, progress: p, message: "epoch" },
  });
async function upload(id: number, worker: string, bytes: Uint8Array, sha?: string) {
  return call("PUT", `/api/trainer/jobs/${id}/artifact?worker_id=${worker}`, {
    token: await as(worker),
    rawBody: bytes,
    headers: { "content-type": "application/octet-stream", "x-artifact-sha256": sha ?? (await hex(bytes)) },
  });
}
const complete = async (id: number, worker: string, bytes: Uint8Array) =>
  call("POST", `/api/trainer/jobs/${id}/complete`, {
    token: await as(worker),
    body: {
      worker_id: worker,
      artifact_sha256: await hex(bytes),
      trained_on: { timeframe: "1h", from: 0, to: 3600 },
      parameters: { order: [1, 1, 0] },
      metrics: ARIMA_TEST_METRICS,
    },
  });
const queue = (types: string[]) =>
  call("POST", "/api/admin/train-models", {
    token: admin,
    body: { profile_ids: [profileId], model_types: types },
  });
const jobsCount = async () => env.DB.prepare("select count(*) as n from jobs").first("n");

beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
  profileId = await insertProfile("TRNUSDT");
});

describe("queueing training", () => {
  it("answers 422 insufficient_data with the needed and available hourly candles, queueing nothing", async () => {
    const none = await queue(["arima"]);
    expect(none.status).toBe(422);
    expect(none.json.error).toMatchObject({ code: "insufficient_data", needed: NEEDED, available: 0 });
    await storeHours(profileId, NEEDED - 1);
    const almost = await queue(["arima", "garch"]);
    expect(almost.status).toBe(422);
    expect(almost.json.error).toMatchObject({
      code: "insufficient_data",
      needed: NEEDED,
      available: NEEDED - 1,
      profiles: [{ profile_id: profileId, symbol: "TRNUSDT", available: NEEDED - 1 }],
    });
    expect(almost.json.error.message).toMatch(new RegExp(`at least ${NEEDED} hourly candles`));
    expect(await jobsCount()).toBe(0);
    await storeHours(profileId, 1, 1_700_000_000 - (1_700_000_000 % 3600) + (NEEDED - 1) * 3600);
  });

  it("refuses unknown profiles (404), bad types and empty bodies (400), queueing nothing", async () => {
    for (const body of [
      {},
      { profile_ids: [] },
      { profile_ids: [profileId], model_types: ["lstm"] },
      { profile_ids: ["x"] },
    ]) {
      expect((await call("POST", "/api/admin/train-models", { token: admin, body })).status).toBe(400);
    }
    expect(
      (await call("POST", "/api/admin/train-models", { token: admin, body: { profile_ids: [9999] } })).status,
    ).toBe(404);
    expect(await jobsCount()).toBe(0);
  });

  it("queues one job per model type and returns open jobs again instead of duplicates", async () => {
    const res = await queue(["arima", "garch"]);
    expect(res.status).toBe(202);
    expect(res.json.jobs.map((j: any) => [j.kind, j.model_type, j.status])).toEqual(
      expect.arrayContaining([
        ["train", "arima", "queued"],
        ["train", "garch", "queued"],
      ]),
    );
    const again = await queue(["arima"]);
    expect(again.json.jobs.map((j: any) => j.id)).toEqual([
      res.json.jobs.find((j: any) => j.model_type === "arima").id,
    ]);
  });

  it("keeps trainer routes to trainer tokens", async () => {
    const user = await signup();
    for (const token of [user.token, admin, "nonsense"]) {
      expect(
        (await call("POST", "/api/trainer/jobs/claim", { token, body: { worker_id: "x" } })).status,
      ).toBe(401);
    }
  });
});

describe("leases, cancel and attempts", () => {
  it("gives each job to one trainer, and hands an expired lease to another (up to 3 attempts)", async () => {
    const a = (await claim("w1")).json.job;
    const b = (await claim("w2")).json.job;
    expect(a.id).not.toBe(b.id);
    expect((await claim("w3")).status).toBe(204);
    expect((await progress(a.id, "w1", 0.3)).json.status).toBe("running");
    expect((await progress(a.id, "w2", 0.3)).status).toBe(409);

    await env.DB.prepare("update jobs set lease_expires_at = unixepoch() - 1 where id = ?").bind(a.id).run();
    const taken = (await claim("w3")).json.job;
    expect(taken).toMatchObject({ id: a.id, attempts: 2 });
    expect((await progress(a.id, "w1", 0.5)).status).toBe(409);

    await env.DB.prepare("update jobs set lease_expires_at = unixepoch() - 1 where id = ?").bind(a.id).run();
    expect((await claim("w4")).json.job).toMatchObject({ id: a.id, attempts: 3 });
    await env.DB.prepare("update jobs set lease_expires_at = unixepoch() - 1 where id = ?").bind(a.id).run();
    expect((await claim("w5")).status).toBe(204);
    const failed = (await call("GET", `/api/admin/jobs/${a.id}`, { token: admin })).json;
    expect(failed).toMatchObject({ status: "failed", attempts: 3 });
    expect(failed.error).toMatch(/lease expired after 3 attempts/);

    const cancel = await call("POST", `/api/admin/jobs/${b.id}/cancel`, { token: admin });
    expect(cancel.json.status).toBe("cancelled");
    expect((await progress(b.id, "w2", 0.6)).json.status).toBe("cancelled");
    expect((await call("POST", `/api/admin/jobs/${a.id}/retry`, { token: admin })).json).toMatchObject({
      status: "queued",
      attempts: 0,
    });
  });
});

describe("artifacts and versions", () => {
  it("rejects corrupt, truncated and mis-shaped uploads and activates a valid one", async () => {
    const job = (await claim("w9")).json.job;
    const good = arimaBytes();
    expect((await upload(job.id, "w9", good, "0".repeat(64))).status).toBe(422);
    const truncated = good.slice(0, good.length - 5);
    expect((await upload(job.id, "w9", truncated, await hex(good))).json.error.code).toBe("artifact_corrupt");
    const misShaped = new TextEncoder().encode(
      JSON.stringify({ kind: "arima", order: [2, 1, 0], ar: [0.1], ma: [], const: 0, sigma2: 1 }),
    );
    expect((await upload(job.id, "w9", misShaped)).json.error.code).toBe("artifact_invalid");
    // Artifacts are raw bytes under their own limit: past the app-wide 1 MB JSON limit they are still read.
    const large = new Uint8Array(2 * 1024 * 1024).fill(0x20);
    expect((await upload(job.id, "w9", large)).json.error.code).toBe("artifact_invalid");
    const net = new TextEncoder().encode("MMNET001garbage");
    expect((await upload(job.id, "w9", net)).status).toBe(422);
    expect((await complete(job.id, "w9", good)).status).toBe(409); // nothing valid uploaded yet

    expect((await upload(job.id, "w9", good)).status).toBe(201);
    const done = await complete(job.id, "w9", good);
    expect(done.status).toBe(200);
    expect(done.json.model).toMatchObject({ model_type: "arima", version: 1, active: true, status: "ready" });
    const profile = (await call("GET", "/api/admin/profiles", { token: admin })).json.find(
      (p: any) => p.id === profileId,
    );
    expect(profile.models_trained).toBe(true);
    const user = await signup();
    expect(
      (await call("GET", "/api/instruments", { token: user.token })).json.map((i: any) => i.symbol),
    ).toEqual(["TRNUSDT"]);
  });

  it("makes each new version active, keeps the last 5, and a failed upload leaves the active one", async () => {
    for (let v = 2; v <= 7; v++) {
      await queue(["arima"]);
      const job = (await claim("wv")).json.job;
      expect(job.model_type).toBe("arima");
      const bytes = arimaBytes(v / 100);
      expect((await upload(job.id, "wv", bytes)).status).toBe(201);
      expect((await complete(job.id, "wv", bytes)).status).toBe(200);
    }
    await queue(["arima"]);
    const bad = (await claim("wv")).json.job;
    expect((await upload(bad.id, "wv", new TextEncoder().encode("{oops"))).status).toBe(422);
    await call("POST", `/api/trainer/jobs/${bad.id}/fail`, {
      token: await as("wv"),
      body: { worker_id: "wv", error: "gave up" },
    });

    const models = (
      await call("GET", `/api/admin/models?profile_id=${profileId}`, { token: admin })
    ).json.filter((m: any) => m.model_type === "arima");
    expect(models.map((m: any) => m.version)).toEqual([7, 6, 5, 4, 3]);
    expect(models.filter((m: any) => m.active).map((m: any) => m.version)).toEqual([7]);
    const listed = await env.BUCKET.list({ prefix: "models/TRNUSDT/arima/" });
    expect(listed.objects.length).toBe(5);
    expect((await call("GET", `/api/admin/jobs/${bad.id}`, { token: admin })).json).toMatchObject({
      status: "failed",
      error: "gave up",
    });
  });
});
