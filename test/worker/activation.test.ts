// "A version became active" (worker/models/activation.ts): the completion request activates the version
// and sends a MODELS_QUEUE message; the queue's consumer (worker/models-queue.ts) builds the active set's
// backtest and hourly signals off that request. Through the real queue first, then message by message
// as the queue delivers them: again (idempotent), late (after a newer version), for a deleted profile,
// and broken (retried alone). Versions past the kept window: R2 failing to delete their artifacts
// (issue 22.11) leaves the activation standing and the leftovers to the next sweep.
import { createExecutionContext, createMessageBatch, getQueueResult } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { aggregate } from "../../core/candles/aggregate";
import { minTrainingCandles } from "../../core/models/fold-plan";
import { issueToken } from "../../worker/auth/tokens";
import { getDb } from "../../worker/db/client";
import { MODELS_KEPT } from "../../worker/db/models";
import worker from "../../worker/index";
import { storeCandles } from "../../worker/market/store";
import type { ActivationMessage } from "../../worker/models/activation";
import { sha256Hex } from "../../worker/models/artifact-store";
import { sweepRetired } from "../../worker/models/retired-sweep";
import { type Faults, installFaults } from "./faults";
import {
  ARIMA_TEST_METRICS,
  api,
  bearer,
  bootstrapAdmin,
  call,
  claimJob,
  expectJson,
  insertProfile,
  signup,
} from "./helpers";
import { syntheticCandles } from "./synthetic";

const QUEUE = "moneymoney-models";
const HOURS = minTrainingCandles() + 48;
const minutes = syntheticCandles(1_700_000_000 - (1_700_000_000 % 3600), HOURS * 60);
const hourly = aggregate(minutes, "1h");
/** The rolling evaluation's origins: the last 300 hours but the newest. */
const origins = hourly.slice(-301, -1).map((c) => c.time);

let admin: string;
let user: string;
let profileId: number;

/** Stores the hourly candles as the collector's rollups, and marks the profile as holding data. */
async function storeHourly(id: number) {
  const rows = hourly.map((c) =>
    env.DB.prepare(
      "insert into candle_rollups (profile_id, timeframe, time, open, high, low, close, volume) values (?, '1h', ?, ?, ?, ?, ?, ?)",
    ).bind(id, c.time, c.open, c.high, c.low, c.close, c.volume),
  );
  await env.DB.batch(rows);
  await env.DB.prepare("update trading_profiles set has_data = 1 where id = ?").bind(id).run();
}

/** One training job of `type` run by a trainer to its completion, with an evaluation over `origins`. */
async function train(ar: number) {
  const token = await issueToken(env, "trainer", { sub: "act", ver: 0 });
  const queued = api.admin["train-models"].$post(
    { json: { profile_ids: [profileId], model_types: ["arima"] } },
    bearer(admin),
  );
  await expectJson(queued, 202);
  const { job } = await claimJob(token, "act");
  const bytes = new TextEncoder().encode(
    JSON.stringify({ kind: "arima", order: [1, 1, 0], ar: [ar], ma: [], const: 0.0001, sigma2: 1e-5 }),
  );
  const sha = await sha256Hex(bytes);
  const put = await call("PUT", `/api/trainer/jobs/${job.id}/artifact?worker_id=act`, {
    token,
    rawBody: bytes,
    headers: { "content-type": "application/octet-stream", "x-artifact-sha256": sha },
  });
  expect(put.status).toBe(201);
  const done = api.trainer.jobs[":id"].complete.$post(
    {
      param: { id: String(job.id) },
      json: {
        worker_id: "act",
        artifact_sha256: sha,
        trained_on: { timeframe: "1h", from: hourly[0].time, to: origins[0] },
        parameters: { order: [1, 1, 0] },
        metrics: ARIMA_TEST_METRICS,
        evaluation: {
          times: origins,
          mean: origins.map((_, i) => (i % 3 === 0 ? -0.002 : 0.002) * ar * 10),
          sigma: origins.map(() => 0.004),
        },
      },
    },
    bearer(token),
  );
  return (await expectJson(done, 200)).model;
}

/** The stored runs of the profile: [mode, run, model set, body], without when they were computed. */
async function storedRuns() {
  const { results } = await env.DB.prepare(
    "select mode, run, model_ids, body from model_backtests where profile_id = ? order by mode, run",
  )
    .bind(profileId)
    .all<{ mode: string; run: string; model_ids: string; body: string }>();
  return results;
}

/** The active set's model ids, as the stored runs name them. */
async function activeSet() {
  const { results } = await env.DB.prepare(
    "select id from ml_models where profile_id = ? and active = 1 order by id",
  )
    .bind(profileId)
    .all<{ id: number }>();
  return results.map((r) => r.id).join(",");
}

/** Runs the Worker's queue handler on one message, as the queue delivers it. */
async function deliver(body: ActivationMessage | null, attempts = 1) {
  const id = crypto.randomUUID();
  const batch = createMessageBatch<ActivationMessage>(QUEUE, [
    { id, timestamp: new Date(), attempts, body: body as ActivationMessage },
  ]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  return { id, result: await getQueueResult(batch, ctx) };
}

beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
  user = (await signup()).token;
  profileId = await insertProfile("ACTUSDT");
  await storeHourly(profileId);
});

describe("after a version becomes active", () => {
  let first: Awaited<ReturnType<typeof train>>;

  it("the completion answers with the active version; the queue's consumer then stores the set's backtest", async () => {
    first = await train(0.1);
    expect(first.version).toBe(1);
    // The derived work runs in the queue's own invocation: wait for its result, not for a fixed time.
    const asked = () =>
      api.instruments[":symbol"].backtest.$get(
        { param: { symbol: "ACTUSDT" }, query: { model: "arima" } },
        bearer(user),
      );
    await vi.waitUntil(
      async () => {
        const res = await asked();
        await res.text();
        return res.status === 200;
      },
      { timeout: 20_000, interval: 50 },
    );
    const backtest = await expectJson(asked(), 200);
    expect(backtest.from).toBeGreaterThanOrEqual(origins[0]);
    expect(backtest.to).toBeLessThanOrEqual(origins.at(-1)! + 3600);
    expect(backtest.equity.length).toBeGreaterThan(100);
    const runs = await storedRuns();
    expect(new Set(runs.map((r) => r.model_ids))).toEqual(new Set([await activeSet()]));
    expect(runs.map((r) => `${r.mode}/${r.run}`)).toContain("signals/ensemble");
    const history = await call("GET", "/api/instruments/ACTUSDT/signals/history", { token: user });
    expect(history.status).toBe(200);
  });

  it("a message delivered again does the same work again: the same runs, acknowledged", async () => {
    const before = await storedRuns();
    const again = await deliver({ profileId, modelId: first.id }, 2);
    expect(again.result.explicitAcks).toEqual([again.id]);
    expect(again.result.retryMessages).toEqual([]);
    expect(await storedRuns()).toEqual(before);
  });

  it("a late message of an older version rebuilds the set active now", async () => {
    const second = await train(0.2);
    expect(second.version).toBe(2);
    const set = await activeSet();
    await vi.waitUntil(async () => (await storedRuns()).every((r) => r.model_ids === set), {
      timeout: 20_000,
      interval: 50,
    });
    const now = await storedRuns();
    const late = await deliver({ profileId, modelId: first.id }, 1);
    expect(late.result.explicitAcks).toEqual([late.id]);
    expect(await storedRuns()).toEqual(now);
    expect(now.every((r) => r.model_ids === set)).toBe(true);
  });

  it("acknowledges a message about a deleted profile, and retries a broken one alone", async () => {
    const gone = await deliver({ profileId: 999_999, modelId: 1 });
    expect(gone.result.explicitAcks).toEqual([gone.id]);
    const broken = await deliver(null);
    expect(broken.result.retryMessages).toEqual([{ msgId: broken.id }]);
    expect(broken.result.explicitAcks).toEqual([]);
  });
});

describe("a failure while retired artifacts are deleted (issue 22.11)", () => {
  let faults: Faults | undefined;
  afterEach(() => faults?.restore());

  const versions = async () =>
    (
      await env.DB.prepare(
        "select version, status, active, artifact_key as key from ml_models where profile_id = ? order by version",
      )
        .bind(profileId)
        .all<{ version: number; status: string; active: number; key: string }>()
    ).results;
  const stored = async (key: string) => (await env.BUCKET.head(key)) !== null;
  const served = async () => {
    const res = await call("GET", "/api/instruments/ACTUSDT/predictions", { token: user });
    expect(res.status, res.text).toBe(200);
    return (res.json as { models: { model_type: string; version: number }[] }).models;
  };

  it("keeps the new version active and served, and the next sweep deletes what is left", async () => {
    // The last hour's minutes too: predictions are made at the close of the newest stored hour.
    const last = minutes.slice(-60);
    await storeCandles(
      env.BUCKET,
      getDb(env.DB),
      { id: profileId, symbol: "ACTUSDT" },
      last,
      last[59].time + 60,
    );
    while ((await versions()).length < MODELS_KEPT) await train(0.1);
    const [oldest, second] = await versions();
    // R2 refuses the delete: nothing deleted. Then a delete that ran but answered an error.
    faults = installFaults();
    const refused = faults.failR2("delete", /models\//);
    const next = await train(0.3);
    expect(refused.failed).toBe(1);
    expect((await versions())[0]).toEqual({ ...oldest, status: "retired" });
    expect(await stored(oldest.key)).toBe(true);
    // The next activation's delete takes both retired objects, then answers an error: rows stay.
    faults.failR2("delete", /models\//, { when: "after" });
    const newest = await train(0.4);
    expect(newest.version).toBe(next.version + 1);
    // Both completions answered 200 (train checks it): each version became active and is served.
    expect(await served()).toEqual([
      expect.objectContaining({ model_type: "arima", version: newest.version }),
    ]);
    const rows = await versions();
    expect(rows.filter((r) => r.active).map((r) => r.version)).toEqual([newest.version]);
    // The versions past the kept window are retired, never active, their objects gone; the rest kept.
    expect(rows.slice(0, 2)).toEqual([
      { ...oldest, status: "retired" },
      { ...second, status: "retired" },
    ]);
    expect([await stored(oldest.key), await stored(second.key)]).toEqual([false, false]);
    expect(rows.slice(2).map((r) => r.status)).toEqual(Array(MODELS_KEPT).fill("ready"));
    for (const r of rows.slice(2)) expect(await stored(r.key)).toBe(true);
    faults.restore();
    // The hourly sweep (or the profile's next activation) finishes the job.
    expect(await sweepRetired(env, getDb(env.DB))).toBe(2);
    expect((await versions()).map((r) => r.version)).toEqual(rows.slice(2).map((r) => r.version));
    expect(await served()).toEqual([expect.objectContaining({ version: newest.version })]);
    expect(await sweepRetired(env, getDb(env.DB))).toBe(0);
  });
});
