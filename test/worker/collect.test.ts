import { runDurableObjectAlarm } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { Candle } from "../../core/candles/types";
import { backfillRunner } from "../../worker/backfill-runner";
import { collectAll } from "../../worker/cron";
import { dueEvery } from "../../worker/market/collector";
import {
  addProfile,
  api,
  backfillParams,
  bearer,
  bootstrapAdmin,
  call,
  dataStatus,
  expectJson,
  getJob,
  jobAction,
  listProfiles,
  profileCandles,
  queueBackfill,
} from "./helpers";

const replay = inject("replayUrl");
const replayNow = inject("replayNow");
let admin: string;
let profileId: number;

const fault = (body: unknown) =>
  fetch(`${replay}/__replay/fault`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
const status = () => dataStatus(admin, profileId);
const asRows = (candles: Candle[]) => candles.map((c) => [c.time, c.open, c.high, c.low, c.close, c.volume]);
const nowSec = () => Math.floor(replayNow / 1000) + 30;

/** Klines straight from the replay (the exchange), to compare with what was stored. */
async function exchangeCandles(from: number, to: number) {
  const out: number[][] = [];
  for (let t = from; t < to; ) {
    const url = `${replay}/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=${t * 1000}&endTime=${(to - 60) * 1000}&limit=1000`;
    const rows: any[][] = await (await fetch(url)).json();
    if (!rows.length) break;
    out.push(...rows.map((r) => [r[0] / 1000, +r[1], +r[2], +r[3], +r[4], +r[5]]));
    t = rows[rows.length - 1][0] / 1000 + 60;
  }
  return out;
}

/** Runs the job's runner until the job ends (alarms also fire on their own; either way is fine). */
async function drain(jobId: number) {
  const stub = backfillRunner(env, jobId);
  for (let i = 0; i < 400; i++) {
    const job = await getJob(admin, jobId);
    if (!["queued", "running"].includes(job.status)) return job;
    if (!(await runDurableObjectAlarm(stub))) await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe("collection from the replay exchange through ccxt", () => {
  beforeAll(async () => {
    admin = (await bootstrapAdmin()).token;
    profileId = (await addProfile(admin, "BTCUSDT")).id;
  });

  it("collects the last day on the first cron run, exactly as the exchange has it", async () => {
    const results = await collectAll(env, nowSec());
    expect(results.BTCUSDT).toMatch(/^stored 1440/);
    const s = await status();
    expect(s).toMatchObject({ candles: 1440, gaps: [] });
    expect(s.last_time).toBe(Math.floor(replayNow / 60_000) * 60 - 60);
    const expected = await exchangeCandles(s.first_time!, s.last_time! + 60);
    expect(asRows(await profileCandles(admin, profileId, { limit: 1440 }))).toEqual(expected);
    const [profile] = await listProfiles(admin);
    expect(profile).toMatchObject({ has_data: true });
    expect(profile.last_data_update).not.toBeNull();
  });

  it("stores the same candles once when collection runs again", async () => {
    const before = await status();
    expect((await collectAll(env, nowSec())).BTCUSDT).toBe("stored 0, refilled 0");
    expect(await status()).toEqual(before);
  });

  it("finds a gap and refills it on the profile's next gap pass (every 15 minutes, staggered)", async () => {
    const before = await status();
    const hole = before.last_time! - 600;
    await env.DB.prepare("delete from candles where profile_id = ? and time between ? and ?")
      .bind(profileId, hole, hole + 240)
      .run();
    expect((await status()).gaps).toEqual([{ from: hole, to: hole + 240, minutes: 5 }]);
    let at = nowSec();
    while (!dueEvery(profileId, at, 15)) at += 60;
    expect((await collectAll(env, at)).BTCUSDT).toMatch(/refilled 5$/);
    const after = await status();
    expect(after.gaps).toEqual([]);
    expect(after.candles).toBe((after.last_time! - after.first_time!) / 60 + 1);
  });

  it.each([
    ["418", /banned/i],
    ["451", /data-api\.binance\.vision/],
    ["malformed", /invalid JSON|unreadable/i],
  ])("reports a %s answer readably and keeps stored candles intact", async (kind, message) => {
    const before = await status();
    await fault({ kind, times: 5 });
    const results = await collectAll(env, nowSec() + 3600);
    await fetch(`${replay}/__replay/fault`, { method: "DELETE" });
    expect(results.BTCUSDT).toMatch(/^failed: /);
    expect(results.BTCUSDT).toMatch(message);
    expect(await status()).toEqual(before);
    // A ban pauses the exchange for every shard until it ends: nobody asks meanwhile.
    if (kind === "418")
      expect((await collectAll(env, nowSec() + 3600)).BTCUSDT).toMatch(/^not asked: .*banned/i);
    await env.DB.prepare("delete from app_state where key like 'exchange.pause.%'").run();
  });

  it("waits out a 429's Retry-After and then succeeds", async () => {
    await fault({ kind: "429", times: 1, retryAfterSec: 1 });
    const results = await collectAll(env, nowSec());
    expect(results.BTCUSDT).toMatch(/^stored 0/);
  });

  it("backfills days as a job worked in alarm slices, skipping what is stored", async () => {
    const queued = api.admin.collect.$post(
      { json: { symbols: ["btcusdt"], interval: "1m", days: 3 } },
      bearer(admin),
    );
    const { jobs } = await expectJson(queued, 202);
    expect(jobs).toHaveLength(1);
    const job = jobs[0];
    expect(job).toMatchObject({ kind: "collect", status: "queued", symbol: "BTCUSDT" });
    const again = api.data.collect.$post({ json: { symbols: ["BTCUSDT"], days: 3 } }, bearer(admin));
    expect((await expectJson(again, 202)).jobs.map((j) => j.id)).toEqual([job.id]);
    const before = await status();
    const done = await drain(job.id);
    expect(done).toMatchObject({ status: "succeeded", progress: 1 });
    const s = await status();
    expect(s.gaps).toEqual([]);
    // "Fetched" and "new" apart: the day the cron stored is fetched again, and only the rest is new.
    const said = done.message?.match(/^([\d,]+) candles fetched, ([\d,]+) new$/);
    expect(said, String(done.message)).not.toBeNull();
    const [fetched, added] = [said![1], said![2]].map((n) => Number(n.replaceAll(",", "")));
    expect(added).toBe(s.candles - before.candles);
    expect(fetched).toBeGreaterThan(added);
    expect(s.first_time).toBe(backfillParams(job).from);
    expect(s.candles).toBe((s.last_time! - s.first_time!) / 60 + 1);
    const expected = await exchangeCandles(s.first_time!, s.first_time! + 86_400);
    const day = await profileCandles(admin, profileId, { limit: 1440, end: s.first_time! + 86_400 - 60 });
    expect(asRows(day)).toEqual(expected);
  });

  it("fails a backfill on a ban with a readable error, keeping what was stored", async () => {
    const before = await status();
    const [job] = await queueBackfill(admin, ["BTCUSDT"], 5);
    await fault({ kind: "418", times: 3 });
    const done = await drain(job.id);
    await fetch(`${replay}/__replay/fault`, { method: "DELETE" });
    expect(done.status).toBe("failed");
    expect(done.error).toMatch(/banned/i);
    expect((await status()).candles).toBeGreaterThanOrEqual(before.candles);
    expect((await expectJson(jobAction(admin, job.id, "retry"), 200)).status).toBe("queued");
    await backfillRunner(env, job.id).start(job.id);
    expect(await drain(job.id)).toMatchObject({ status: "succeeded" });
    expect((await status()).first_time).toBe(backfillParams(job).from);
  });

  it("stops a cancelled backfill at its next slice", async () => {
    const [job] = await queueBackfill(admin, ["BTCUSDT"], 9);
    expect((await expectJson(jobAction(admin, job.id, "cancel"), 200)).status).toBe("cancelled");
    const after = await drain(job.id);
    expect(after).toMatchObject({ status: "cancelled", progress: 0 });
    expect((await jobAction(admin, job.id, "cancel")).status).toBe(409);
  });
});

describe("collect: bad input queues nothing", () => {
  beforeAll(async () => {
    admin ??= (await bootstrapAdmin("bad-input@example.com").catch(() => null))?.token ?? admin;
    if (!profileId) profileId = (await addProfile(admin, "BTCUSDT")).id;
  });

  it.each([
    [{ symbols: ["BTCUSDT"], days: 0 }, 400],
    [{ symbols: ["BTCUSDT"], days: -3 }, 400],
    [{ symbols: ["BTCUSDT"], days: 3651 }, 400],
    [{ symbols: ["BTCUSDT"], days: "ten" }, 400],
    [{ symbols: ["BTCUSDT"], days: 1.5 }, 400],
    [{ symbols: ["BTCUSDT"], interval: "5m", days: 1 }, 400],
    [{ symbols: [], days: 1 }, 400],
    [{ days: 1 }, 400],
    [{ symbols: ["NOPEUSDT"], days: 1 }, 404],
  ])("%j answers %i", async (body, code) => {
    const before = await env.DB.prepare("select count(*) as n from jobs").first("n");
    const res = await call("POST", "/api/admin/collect", { token: admin, body });
    expect(res.status).toBe(code);
    expect(res.error?.code).toBeTypeOf("string");
    expect(await env.DB.prepare("select count(*) as n from jobs").first("n")).toBe(before);
  });

  it("refuses chart queries outside the contract", async () => {
    for (const q of [
      "data/2h",
      "data/1m?limit=0",
      "data/1m?limit=5001",
      "data/1m?end=abc",
      "data/1m?end=1719792000000",
    ]) {
      expect((await call("GET", `/api/admin/profiles/${profileId}/${q}`, { token: admin })).status).toBe(400);
    }
    expect((await call("GET", "/api/admin/profiles/99999/data/1m", { token: admin })).status).toBe(404);
  });
});
