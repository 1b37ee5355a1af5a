// What the admin console needs to stay current without a reload: the jobs list pages to older jobs
// (`before`), and every job event over the ProgressHub says the job's status after it, parsed here by the
// contract's own schema, so a finished training or backfill can be settled and its rows refetched.
import { env, exports } from "cloudflare:workers";
import { beforeAll, describe, expect, it } from "vitest";
import { issueToken } from "../../worker/auth/tokens";
import { ProgressEvent } from "../../worker/contract/progress";
import {
  ARIMA_TEST_METRICS,
  api,
  bearer,
  bootstrapAdmin,
  call,
  claimJob,
  expectJson,
  insertProfile,
  openApiDoc,
  storeHours,
  wsTicket,
} from "./helpers";

let admin: string;
let profileId: number;

const hex = async (bytes: Uint8Array) =>
  [...new Uint8Array(await crypto.subtle.digest("SHA-256", bytes))]
    .map((b) => b.toString(16).padStart(2, "0"))
    .join("");
const artifact = new TextEncoder().encode(
  JSON.stringify({ kind: "arima", order: [1, 1, 0], ar: [0.1], ma: [], const: 0.0001, sigma2: 1e-5 }),
);
const trainerToken = (worker: string) => issueToken(env, "trainer", { sub: worker, ver: 0 });

async function listen() {
  const ticket = await wsTicket("admin", admin);
  const res = await exports.default.fetch(
    new Request(`http://mm.test/api/admin/ws?ticket=${ticket}`, { headers: { upgrade: "websocket" } }),
  );
  const ws = res.webSocket!;
  ws.accept();
  const events: ReturnType<typeof ProgressEvent.parse>[] = [];
  ws.addEventListener("message", (e) => {
    events.push(ProgressEvent.parse(JSON.parse(String(e.data))));
  });
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 10));
    expect(check()).toBe(true);
  };
  return { ws, events, until };
}

beforeAll(async () => {
  admin = (await bootstrapAdmin()).token;
  profileId = await insertProfile("LIVUSDT");
  await storeHours(profileId, 2000);
});

describe("jobs list paging", () => {
  it("pages newest first with before=<id>, keeps the plain list as it was, and refuses bad cursors", async () => {
    const ids: number[] = [];
    for (let i = 0; i < 5; i++) {
      const row = await env.DB.prepare(
        "insert into jobs (kind, status, profile_id, params) values ('collect', 'succeeded', ?, '{}') returning id",
      )
        .bind(profileId)
        .first<{ id: number }>();
      ids.push(row!.id);
    }
    const page = async (query: { limit?: string; before?: string }) =>
      (await expectJson(api.admin.jobs.$get({ query }, bearer(admin)), 200)).map((j) => j.id);
    const all = await page({});
    expect(all.slice(0, 5)).toEqual([...ids].reverse());
    expect(await page({ limit: "2" })).toEqual([ids[4], ids[3]]);
    expect(await page({ limit: "2", before: String(ids[3]) })).toEqual([ids[2], ids[1]]);
    expect(await page({ limit: "2", before: String(ids[1]) })).toEqual(
      all.filter((id) => id < ids[1]).slice(0, 2),
    );
    for (const bad of ["0", "-1", "abc", "1.5"]) {
      const res = await call("GET", `/api/admin/jobs?before=${bad}`, { token: admin });
      expect(res.status, bad).toBe(400);
      expect(res.error?.code).toBeTypeOf("string");
    }
    const doc = await openApiDoc();
    const params = doc.paths["/api/admin/jobs"]?.get?.parameters?.map((p) => p.name);
    expect(params).toContain("before");
  });
});

describe("job events carry the job's status", () => {
  it("says running while a training runs and succeeded when its version is active", async () => {
    const { ws, events, until } = await listen();
    const queued = await call("POST", "/api/admin/train-models", {
      token: admin,
      body: { profile_ids: [profileId], model_types: ["arima"] },
    });
    expect(queued.status).toBe(202);
    const token = await trainerToken("live-w");
    const job = (await claimJob(token, "live-w")).job;
    await call("POST", `/api/trainer/jobs/${job.id}/progress`, {
      token,
      body: { worker_id: "live-w", progress: 0.5, message: "fitting" },
    });
    await call("PUT", `/api/trainer/jobs/${job.id}/artifact?worker_id=live-w`, {
      token,
      rawBody: artifact,
      headers: { "content-type": "application/octet-stream", "x-artifact-sha256": await hex(artifact) },
    });
    const done = await call("POST", `/api/trainer/jobs/${job.id}/complete`, {
      token,
      body: {
        worker_id: "live-w",
        artifact_sha256: await hex(artifact),
        trained_on: { timeframe: "1h", from: 0, to: 3600 },
        parameters: { order: [1, 1, 0] },
        metrics: ARIMA_TEST_METRICS,
      },
    });
    expect(done.status).toBe(200);
    const mine = () => events.filter((e) => e.job_id === job.id);
    await until(() => mine().some((e) => e.status === "succeeded"));
    expect(mine().map((e) => [e.type, e.status, e.progress])).toEqual([
      ["model_training_progress", "running", 0],
      ["model_training_progress", "running", 0.5],
      ["model_training_progress", "succeeded", 1],
    ]);
    expect(mine().at(-1)).toMatchObject({ profile_id: profileId, symbol: "LIVUSDT" });
    ws.close(1000, "done");
  });

  it("says failed, cancelled and queued again when a trainer fails and an admin cancels or retries", async () => {
    const { ws, events, until } = await listen();
    await call("POST", "/api/admin/train-models", {
      token: admin,
      body: { profile_ids: [profileId], model_types: ["garch"] },
    });
    const token = await trainerToken("live-f");
    const job = (await claimJob(token, "live-f")).job;
    await call("POST", `/api/trainer/jobs/${job.id}/fail`, {
      token,
      body: { worker_id: "live-f", error: "did not converge" },
    });
    await call("POST", `/api/admin/jobs/${job.id}/retry`, { token: admin });
    await call("POST", `/api/admin/jobs/${job.id}/cancel`, { token: admin });
    const mine = () => events.filter((e) => e.job_id === job.id).map((e) => e.status);
    await until(() => mine().length === 4);
    expect(mine()).toEqual(["running", "failed", "queued", "cancelled"]);
    ws.close(1000, "done");
  });
});
