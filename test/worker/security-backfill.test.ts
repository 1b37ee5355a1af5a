// Probe of issue 12 item 6: a backfill rides out a short exchange outage (the replay's fault
// injection: 5xx, timeouts, 429), shows that it waits, loses and rewrites nothing, and fails only
// when the outage lasts too long.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { backfillRunner } from "../../worker/backfill-runner";
import { BACKFILL_OUTAGE } from "../../worker/config";
import { bootstrapAdmin, call } from "./helpers";

const replay = inject("replayUrl");
let admin: string;
let profileId: number;

const fault = (body: unknown) =>
  fetch(`${replay}/__replay/fault`, {
    method: body === null ? "DELETE" : "POST",
    headers: { "content-type": "application/json" },
    body: body === null ? undefined : JSON.stringify(body),
  });
const job = async (id: number) => (await call("GET", `/api/admin/jobs/${id}`, { token: admin })).json;
const status = async () =>
  (await call("GET", `/api/admin/profiles/${profileId}/data-status`, { token: admin })).json;
const lastDay = async () =>
  (await call("GET", `/api/admin/profiles/${profileId}/data/1m?limit=1440`, { token: admin })).json.candles;

async function drain(id: number) {
  const stub = backfillRunner(env, id);
  for (let i = 0; i < 400; i++) {
    const j = await job(id);
    if (!["queued", "running"].includes(j.status)) return j;
    if (!(await runDurableObjectAlarm(stub))) await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

/** Runs the runner's alarms until the job reports that it waits for the exchange. */
async function untilWaiting(id: number) {
  const stub = backfillRunner(env, id);
  // A slice retries a failing request a few times (about 8 s) before it pauses the job.
  for (let i = 0; i < 300; i++) {
    const j = await job(id);
    if (/waiting for the exchange/.test(j.message ?? "") || j.status !== "running") return j;
    if (!(await runDurableObjectAlarm(stub))) await new Promise((r) => setTimeout(r, 100));
  }
  return job(id);
}

async function untilPauses(id: number, pauses: number) {
  for (let i = 0; i < 300; i++) {
    const j = await job(id);
    if ((j.params.outage?.pauses ?? 0) >= pauses || j.status !== "running") return j;
    await new Promise((r) => setTimeout(r, 100));
  }
  return job(id);
}

describe.skipIf(!replay)("a backfill during an exchange outage", () => {
  beforeAll(async () => {
    admin = (await bootstrapAdmin()).token;
    profileId = (await call("POST", "/api/admin/profiles", { token: admin, body: { symbol: "BTCUSDT" } }))
      .json.id;
  });

  it("pauses on 5xx mid-backfill, says it waits, resumes and stores every candle exactly once", async () => {
    const first = (
      await call("POST", "/api/admin/collect", { token: admin, body: { symbols: ["BTCUSDT"], days: 1 } })
    ).json.jobs[0];
    expect((await drain(first.id)).status).toBe("succeeded");
    const storedDay = await lastDay();
    expect(storedDay).toHaveLength(1440);

    const j = (
      await call("POST", "/api/admin/collect", { token: admin, body: { symbols: ["BTCUSDT"], days: 4 } })
    ).json.jobs[0];
    // The exchange goes down: every request fails (500) until it comes back.
    await fault({ kind: "500", times: 1000 });
    const waiting = await untilWaiting(j.id);
    expect(waiting.status).toBe("running");
    expect(waiting.message).toMatch(/^waiting for the exchange: retry in \d+ s/);
    // Still down at the next try: it keeps waiting with a longer pause.
    await runDurableObjectAlarm(backfillRunner(env, j.id));
    const still = await untilPauses(j.id, 2);
    expect(still.status).toBe("running");
    expect(still.params.outage.pauses).toBe(2);
    // Back up: it resumes and finishes.
    await fault(null);
    const done = await drain(j.id);
    expect(done).toMatchObject({ status: "succeeded", progress: 1 });
    expect(done.params.outage).toBeUndefined();
    const s = await status();
    expect(s.gaps).toEqual([]);
    expect(s.first_time).toBe(j.params.from);
    expect(s.candles).toBe((s.last_time - s.first_time) / 60 + 1);
    // The day stored before the outage is exactly as it was.
    expect(await lastDay()).toEqual(storedDay);
  }, 60_000);

  it("honours a 429 and fails only when the outage outlasts the limit, keeping what is stored", async () => {
    const before = await status();
    const j = (
      await call("POST", "/api/admin/collect", { token: admin, body: { symbols: ["BTCUSDT"], days: 6 } })
    ).json.jobs[0];
    await fault({ kind: "429", times: 1000, retryAfterSec: 45 });
    const waiting = await untilWaiting(j.id);
    expect(waiting.message).toMatch(/^waiting for the exchange: retry in 45 s/);
    // The outage has lasted past the limit by the next try.
    const row = await env.DB.prepare("select params from jobs where id = ?")
      .bind(j.id)
      .first<string>("params");
    const params = JSON.parse(row!);
    params.outage.since -= BACKFILL_OUTAGE.giveUpAfterSeconds + 1;
    await env.DB.prepare("update jobs set params = ? where id = ?").bind(JSON.stringify(params), j.id).run();
    await runDurableObjectAlarm(backfillRunner(env, j.id));
    const failed = await untilPauses(j.id, 99);
    await fault(null);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/the exchange kept failing for \d+ min/);
    expect((await status()).candles).toBeGreaterThanOrEqual(before.candles);
  }, 60_000);
});
