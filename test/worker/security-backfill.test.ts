// Probe of issue 12 item 6: a backfill rides out a short exchange outage (the replay's fault
// injection: 5xx, timeouts, 429), shows that it waits, loses and rewrites nothing, and fails only
// when the outage lasts too long.
//
// The replay's clock is pinned when the test run starts, while the Worker's clock (which sets a
// backfill's `to`) runs on: minutes after the pin are in the replay's future and never served, so the
// expected candles are counted against the replay's present, and the stored day is read by its own
// bounds. Faults sit in the replay's queue in front of the next requests, so each is queued before
// its job exists (the job's runner may start working at once) and cleared after every test.
import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { backfillRunner } from "../../worker/backfill-runner";
import { BACKFILL_OUTAGE } from "../../worker/config";
import {
  addProfile,
  backfillParams,
  bootstrapAdmin,
  dataStatus,
  getJob,
  profileCandles,
  queueBackfill,
} from "./helpers";

const replay = inject("replayUrl");
/** The replay's present (ms): it serves no candle opening after this minute. */
const replayNow = inject("replayNow");
let admin: string;
let profileId: number;

const fault = (body: unknown) =>
  fetch(`${replay}/__replay/fault`, {
    method: body === null ? "DELETE" : "POST",
    headers: { "content-type": "application/json" },
    body: body === null ? undefined : JSON.stringify(body),
  });
/** A backfill job, with its parameters as the runner keeps them. */
const job = async (id: number) => {
  const j = await getJob(admin, id);
  return { ...j, params: backfillParams(j) };
};
const status = () => dataStatus(admin, profileId);
/** The `count` stored 1m candles up to and including the minute `end`. */
const storedUpTo = (end: number, count: number) => profileCandles(admin, profileId, { limit: count, end });
/** Queues a backfill of `days` for BTCUSDT: its job. */
const backfill = async (days: number) => {
  const [j] = await queueBackfill(admin, ["BTCUSDT"], days);
  return { ...j, params: backfillParams(j) };
};
/** The minutes of [from, to) the replay can serve: those opening at or before its pinned present. */
const servable = (p: { from: number; to: number }) =>
  (Math.min(p.to, Math.floor(replayNow / 60_000) * 60 + 60) - p.from) / 60;

async function drain(id: number) {
  const stub = backfillRunner(env, id);
  for (let i = 0; i < 400; i++) {
    const j = await job(id);
    if (!["queued", "running"].includes(j.status)) return j;
    if (!(await runDurableObjectAlarm(stub))) await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${id} did not finish`);
}

/** Runs the runner's alarms until the job reports that it waits for the exchange, or ends. */
async function untilWaiting(id: number) {
  const stub = backfillRunner(env, id);
  // A slice retries a failing request a few times (about 8 s) before it pauses the job; a job the
  // runner has not picked up yet is still queued.
  for (let i = 0; i < 300; i++) {
    const j = await job(id);
    if (/waiting for the exchange/.test(j.message ?? "") || !["queued", "running"].includes(j.status))
      return j;
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
    profileId = (await addProfile(admin, "BTCUSDT")).id;
  });
  afterEach(async () => {
    await fault(null);
  });

  it("pauses on 5xx around stored data, says it waits, resumes and stores every candle exactly once", async () => {
    const first = await backfill(1);
    expect((await drain(first.id)).status).toBe("succeeded");
    const day = servable(first.params);
    expect(day).toBeGreaterThan(1000);
    const dayEnd = first.params.from + (day - 1) * 60;
    const storedDay = await storedUpTo(dayEnd, 1440);
    expect(storedDay).toHaveLength(day);
    expect([storedDay[0].time, storedDay[day - 1].time]).toEqual([first.params.from, dayEnd]);

    // The exchange goes down (every request fails with a 500 until it comes back) while a longer
    // backfill over the stored day runs.
    await fault({ kind: "500", times: 1000 });
    const j = await backfill(4);
    const waiting = await untilWaiting(j.id);
    expect(waiting.status).toBe("running");
    expect(waiting.message).toMatch(/^waiting for the exchange: retry in \d+ s/);
    // Still down at the next try: it keeps waiting with a longer pause.
    await runDurableObjectAlarm(backfillRunner(env, j.id));
    const still = await untilPauses(j.id, 2);
    expect(still.status).toBe("running");
    expect(still.params.outage?.pauses).toBe(2);
    // Back up: it resumes and finishes.
    await fault(null);
    const done = await drain(j.id);
    expect(done).toMatchObject({ status: "succeeded", progress: 1 });
    expect(done.params.outage).toBeUndefined();
    const s = await status();
    expect(s.gaps).toEqual([]);
    expect(s.first_time).toBe(j.params.from);
    expect(s.candles).toBe(servable(j.params));
    expect(s.candles).toBe((s.last_time! - s.first_time!) / 60 + 1);
    // The day stored before the outage is exactly as it was.
    expect(await storedUpTo(dayEnd, day)).toEqual(storedDay);
  }, 60_000);

  it("honours a 429 and fails only when the outage outlasts the limit, keeping what is stored", async () => {
    const before = await status();
    await fault({ kind: "429", times: 1000, retryAfterSec: 45 });
    const j = await backfill(6);
    const waiting = await untilWaiting(j.id);
    expect(waiting).toMatchObject({
      status: "running",
      message: expect.stringMatching(/^waiting for the exchange: retry in 45 s/),
    });
    // The outage has lasted past the limit by the next try.
    const row = await env.DB.prepare("select params from jobs where id = ?")
      .bind(j.id)
      .first<string>("params");
    const params = JSON.parse(row!);
    params.outage.since -= BACKFILL_OUTAGE.giveUpAfterSeconds + 1;
    await env.DB.prepare("update jobs set params = ? where id = ?").bind(JSON.stringify(params), j.id).run();
    await runDurableObjectAlarm(backfillRunner(env, j.id));
    const failed = await untilPauses(j.id, 99);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/the exchange kept failing for \d+ min/);
    expect((await status()).candles).toBeGreaterThanOrEqual(before.candles);
  }, 60_000);
});
