import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { minTrainingCandles } from "../../core/models/fold-plan";
import type { ModelType } from "../../core/models/model-types";
import { issueToken } from "../../worker/auth/tokens";
import {
  ARIMA_TEST_METRICS,
  api,
  bearer,
  bootstrapAdmin,
  call,
  expectError,
  expectJson,
  getJob,
  insertProfile,
  listProfiles,
  signup,
  storeHours,
} from "./helpers";

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
const trainer = () => api.trainer.jobs[":id"];
const claim = async (worker = "w1") =>
  api.trainer.jobs.claim.$post({ json: { worker_id: worker } }, bearer(await as(worker)));
/** The job a trainer claims (the claim answered 200). */
const claimed = async (worker: string) => (await expectJson(claim(worker), 200)).job;
const progress = async (id: number, worker: string, p: number) =>
  trainer().progress.$post(
    { param: { id: String(id) }, json: { worker_id: worker, progress: p, message: "epoch" } },
    bearer(await as(worker)),
  );
async function upload(id: number, worker: string, bytes: Uint8Array, sha?: string) {
  return call("PUT", `/api/trainer/jobs/${id}/artifact?worker_id=${worker}`, {
    token: await as(worker),
    rawBody: bytes,
    headers: { "content-type": "application/octet-stream", "x-artifact-sha256": sha ?? (await hex(bytes)) },
  });
}
const complete = async (id: number, worker: string, bytes: Uint8Array) =>
  trainer().complete.$post(
    {
      param: { id: String(id) },
      json: {
        worker_id: worker,
        artifact_sha256: await hex(bytes),
        trained_on: { timeframe: "1h", from: 0, to: 3600 },
        parameters: { order: [1, 1, 0] },
        metrics: ARIMA_TEST_METRICS,
      },
    },
    bearer(await as(worker)),
  );
const queue = (types: ModelType[]) =>
  api.admin["train-models"].$post({ json: { profile_ids: [profileId], model_types: types } }, bearer(admin));
const jobsCount = async () => env.DB.prepare("select count(*) as n from jobs").first("n");

beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
  profileId = await insertProfile("TRNUSDT");
});

describe("queueing training", () => {
  it("answers 422 insufficient_data with the needed and available hourly candles, queueing nothing", async () => {
    const none = await expectError(queue(["arima"]), 422);
    expect(none).toMatchObject({ code: "insufficient_data", needed: NEEDED, available: 0 });
    await storeHours(profileId, NEEDED - 1);
    const almost = await expectError(queue(["arima", "garch"]), 422);
    expect(almost).toMatchObject({
      code: "insufficient_data",
      needed: NEEDED,
      available: NEEDED - 1,
      profiles: [{ profile_id: profileId, symbol: "TRNUSDT", available: NEEDED - 1 }],
    });
    expect(almost.message).toMatch(new RegExp(`at least ${NEEDED} hourly candles`));
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
    const res = await expectJson(queue(["arima", "garch"]), 202);
    expect(res.jobs.map((j) => [j.kind, j.model_type, j.status])).toEqual(
      expect.arrayContaining([
        ["train", "arima", "queued"],
        ["train", "garch", "queued"],
      ]),
    );
    const again = await expectJson(queue(["arima"]), 202);
    expect(again.jobs.map((j) => j.id)).toEqual([res.jobs.find((j) => j.model_type === "arima")!.id]);
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
    const a = await claimed("w1");
    const b = await claimed("w2");
    expect(a.id).not.toBe(b.id);
    expect((await claim("w3")).status).toBe(204);
    expect((await expectJson(progress(a.id, "w1", 0.3), 200)).status).toBe("running");
    expect((await progress(a.id, "w2", 0.3)).status).toBe(409);

    await env.DB.prepare("update jobs set lease_expires_at = unixepoch() - 1 where id = ?").bind(a.id).run();
    const taken = await claimed("w3");
    expect(taken).toMatchObject({ id: a.id, attempts: 2 });
    expect((await progress(a.id, "w1", 0.5)).status).toBe(409);

    await env.DB.prepare("update jobs set lease_expires_at = unixepoch() - 1 where id = ?").bind(a.id).run();
    expect(await claimed("w4")).toMatchObject({ id: a.id, attempts: 3 });
    await env.DB.prepare("update jobs set lease_expires_at = unixepoch() - 1 where id = ?").bind(a.id).run();
    expect((await claim("w5")).status).toBe(204);
    const failed = await getJob(admin, a.id);
    expect(failed).toMatchObject({ status: "failed", attempts: 3 });
    expect(failed.error).toMatch(/lease expired after 3 attempts/);

    const byId = (id: number) => ({ param: { id: String(id) } });
    const cancel = await expectJson(api.admin.jobs[":id"].cancel.$post(byId(b.id), bearer(admin)), 200);
    expect(cancel.status).toBe("cancelled");
    expect((await expectJson(progress(b.id, "w2", 0.6), 200)).status).toBe("cancelled");
    expect(await expectJson(api.admin.jobs[":id"].retry.$post(byId(a.id), bearer(admin)), 200)).toMatchObject(
      {
        status: "queued",
        attempts: 0,
      },
    );
  });
});

describe("artifacts and versions", () => {
  it("rejects corrupt, truncated and mis-shaped uploads and activates a valid one", async () => {
    const job = await claimed("w9");
    const good = arimaBytes();
    expect((await upload(job.id, "w9", good, "0".repeat(64))).status).toBe(422);
    const truncated = good.slice(0, good.length - 5);
    expect((await upload(job.id, "w9", truncated, await hex(good))).error?.code).toBe("artifact_corrupt");
    const misShaped = new TextEncoder().encode(
      JSON.stringify({ kind: "arima", order: [2, 1, 0], ar: [0.1], ma: [], const: 0, sigma2: 1 }),
    );
    expect((await upload(job.id, "w9", misShaped)).error?.code).toBe("artifact_invalid");
    // Artifacts are raw bytes under their own limit: past the app-wide 1 MB JSON limit they are still read.
    const large = new Uint8Array(2 * 1024 * 1024).fill(0x20);
    expect((await upload(job.id, "w9", large)).error?.code).toBe("artifact_invalid");
    const net = new TextEncoder().encode("MMNET001garbage");
    expect((await upload(job.id, "w9", net)).status).toBe(422);
    expect((await complete(job.id, "w9", good)).status).toBe(409); // nothing valid uploaded yet

    expect((await upload(job.id, "w9", good)).status).toBe(201);
    const done = await expectJson(complete(job.id, "w9", good), 200);
    expect(done.model).toMatchObject({ model_type: "arima", version: 1, active: true, status: "ready" });
    const profile = (await listProfiles(admin)).find((p) => p.id === profileId);
    expect(profile?.models_trained).toBe(true);
    const user = await signup();
    const instruments = await expectJson(api.instruments.$get({ query: {} }, bearer(user.token)), 200);
    expect(instruments.map((i) => i.symbol)).toEqual(["TRNUSDT"]);
  });

  it("makes each new version active, keeps the last 5, and a failed upload leaves the active one", async () => {
    for (let v = 2; v <= 7; v++) {
      await queue(["arima"]);
      const job = await claimed("wv");
      expect(job.model_type).toBe("arima");
      const bytes = arimaBytes(v / 100);
      expect((await upload(job.id, "wv", bytes)).status).toBe(201);
      expect((await complete(job.id, "wv", bytes)).status).toBe(200);
    }
    await queue(["arima"]);
    const bad = await claimed("wv");
    expect((await upload(bad.id, "wv", new TextEncoder().encode("{oops"))).status).toBe(422);
    await call("POST", `/api/trainer/jobs/${bad.id}/fail`, {
      token: await as("wv"),
      body: { worker_id: "wv", error: "gave up" },
    });

    const listing = api.admin.models.$get({ query: { profile_id: String(profileId) } }, bearer(admin));
    const models = (await expectJson(listing, 200)).filter((m) => m.model_type === "arima");
    expect(models.map((m) => m.version)).toEqual([7, 6, 5, 4, 3]);
    expect(models.filter((m) => m.active).map((m) => m.version)).toEqual([7]);
    const listed = await env.BUCKET.list({ prefix: "models/TRNUSDT/arima/" });
    expect(listed.objects.length).toBe(5);
    expect(await getJob(admin, bad.id)).toMatchObject({
      status: "failed",
      error: "gave up",
    });
  });
});
