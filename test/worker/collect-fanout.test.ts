// Collection fans out through the COLLECT_QUEUE: the cron sends one message per shard of active profiles,
// the queue consumer collects each shard in its own invocation. Here on the replay's synthetic symbols
// (SIM0001USDT...): every active profile is in exactly one shard, every candle is stored exactly once
// (also when a shard is delivered again), a 429 retries its shard alone, one bad symbol fails alone, and
// the D1 queries of an invocation stay far under D1's 1,000.
import {
  createExecutionContext,
  createMessageBatch,
  createScheduledController,
  getQueueResult,
} from "cloudflare:test";
import { env } from "cloudflare:workers";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { syntheticSymbol } from "../../scripts/sim/synthetic";
import {
  COLLECT_SHARD_SIZE,
  CRON_COMPACT_EVERY_MINUTES,
  CRON_GAP_REFILL_EVERY_MINUTES,
} from "../../worker/config";
import { type CollectMessage, enqueueCollection } from "../../worker/cron";
import worker from "../../worker/index";
import { dueEvery } from "../../worker/market/collector";
import { bootstrapAdmin, insertProfile, listProfiles } from "./helpers";

const replay = inject("replayUrl");
const replayNow = inject("replayNow");
const nowSec = Math.floor(replayNow / 1000) + 30;
const lastClosed = Math.floor(nowSec / 60) * 60 - 60;
const QUEUE = "moneymoney-collect";
const ACTIVE = 100; // SIM0001..SIM0100: two shards
const LATER = 20; // SIM0101..SIM0120: inactive until the retry test
const ids = new Map<string, number>();

const fault = (body: unknown) =>
  fetch(`${replay}/__replay/fault`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });

/** Stored 1m candle times per profile id, from D1. */
async function storedTimes(profileIds: number[]) {
  const { results } = await env.DB.prepare(
    `select profile_id as id, time from candles where profile_id in (${profileIds.join(",")}) order by time`,
  ).all<{ id: number; time: number }>();
  const out = new Map<number, number[]>(profileIds.map((id) => [id, []]));
  for (const r of results) out.get(r.id)!.push(r.time);
  return out;
}

/** Runs the Worker's queue handler on one message, as the queue delivers it; its result and log. */
async function deliver(body: CollectMessage, attempts = 1) {
  const log = vi.spyOn(console, "log");
  const id = crypto.randomUUID();
  const batch = createMessageBatch<CollectMessage>(QUEUE, [{ id, timestamp: new Date(), attempts, body }]);
  const ctx = createExecutionContext();
  await worker.queue(batch, env);
  const result = await getQueueResult(batch, ctx);
  const line = log.mock.calls.map((c) => String(c[0])).find((l) => l.startsWith("collect shard")) ?? "";
  log.mockRestore();
  // The stricter count: every statement, also each one inside a batch.
  return { id, result, line, queries: Number(/\((\d+) statements\)/.exec(line)?.[1] ?? Number.NaN) };
}

const message = (ids: number[], shard = 0, shards = 1): CollectMessage => ({
  minute: nowSec,
  ids,
  shard,
  shards,
});

let adminToken: string;

beforeAll(async () => {
  adminToken = (await bootstrapAdmin()).token;
  for (let i = 1; i <= ACTIVE + LATER; i++)
    ids.set(syntheticSymbol(i), await insertProfile(syntheticSymbol(i)));
  const later = [...ids.values()].slice(ACTIVE);
  await env.DB.prepare(`update trading_profiles set is_active = 0 where id in (${later.join(",")})`).run();
  // Each profile already holds the candle two minutes back: a steady minute asks for the 2 after it.
  await env.DB.batch(
    [...ids.values()].map((id) =>
      env.DB.prepare(
        "insert into candles (profile_id, time, open, high, low, close, volume) values (?, ?, 1, 1, 1, 1, 1)",
      ).bind(id, lastClosed - 120),
    ),
  );
});

afterEach(async () => {
  await fetch(`${replay}/__replay/fault`, { method: "DELETE" });
  await env.DB.prepare("delete from app_state where key like 'exchange.pause.%'").run();
});

describe.skipIf(!replay)("collection fan-out through the queue", () => {
  it("enqueues shards that cover every active profile exactly once", async () => {
    await env.DB.prepare("update trading_profiles set exchange = 'kraken' where id = ?")
      .bind(await insertProfile("XRPUSD"))
      .run();
    const sent: MessageSendRequest<CollectMessage>[] = [];
    const queue = { sendBatch: async (m: MessageSendRequest<CollectMessage>[]) => void sent.push(...m) };
    const shards = await enqueueCollection({ ...env, COLLECT_QUEUE: queue as unknown as Queue }, nowSec);
    const bodies = sent.map((m) => m.body);
    expect(bodies).toHaveLength(Math.ceil(ACTIVE / COLLECT_SHARD_SIZE));
    expect(shards).toEqual(bodies.map((b) => b.ids));
    const all = bodies.flatMap((b) => b.ids);
    expect(new Set(all).size).toBe(all.length);
    expect(all.sort((a, b) => a - b)).toEqual([...ids.values()].slice(0, ACTIVE).sort((a, b) => a - b));
    for (const [i, b] of bodies.entries()) {
      expect(b).toMatchObject({ minute: nowSec, shard: i, shards: bodies.length });
      expect(b.ids.length).toBeLessThanOrEqual(COLLECT_SHARD_SIZE);
    }
    // The profile no bundled exchange serves is not sent; it is reported at once.
    const rows = await listProfiles(adminToken);
    expect(rows.find((p) => p.symbol === "XRPUSD")!.collection.last_error).toMatch(/kraken is not bundled/);
    await env.DB.prepare("update trading_profiles set is_active = 0 where symbol = 'XRPUSD'").run();
  });

  it("collects every shard through the real queue after the cron tick, each candle stored once", {
    timeout: 60_000,
  }, async () => {
    const active = [...ids.values()].slice(0, ACTIVE);
    const ctx = createExecutionContext();
    await worker.scheduled(
      createScheduledController({ scheduledTime: nowSec * 1000, cron: "* * * * *" }),
      env,
      ctx,
    );
    let times = await storedTimes(active);
    for (const t0 = Date.now(); Date.now() - t0 < 45_000; ) {
      times = await storedTimes(active);
      if ([...times.values()].every((t) => t.length >= 3)) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const t of times.values()) expect(t).toEqual([lastClosed - 120, lastClosed - 60, lastClosed]);
    // The stored candles are the exchange's, bit for bit (checked on three symbols).
    for (const i of [1, 50, 100]) {
      const symbol = syntheticSymbol(i);
      const url = `${replay}/api/v3/klines?symbol=${symbol}&interval=1m&startTime=${(lastClosed - 60) * 1000}&limit=2`;
      const expected = ((await (await fetch(url)).json()) as string[][]).map((r) => [
        +r[0] / 1000,
        +r[1],
        +r[2],
        +r[3],
        +r[4],
        +r[5],
      ]);
      const results = await env.DB.prepare(
        "select time, open, high, low, close, volume from candles where profile_id = ? and time >= ? order by time",
      )
        .bind(ids.get(symbol), lastClosed - 60)
        .raw();
      expect(results).toEqual(expected);
    }
  });

  it("stores nothing twice when a shard is delivered again, asks the exchange nothing, and counts its queries", async () => {
    const first = [...ids.values()].slice(0, COLLECT_SHARD_SIZE);
    const before = await storedTimes(first);
    // A fault waiting for the next request: still waiting afterwards means no request was made.
    await fault({ kind: "500", times: 1 });
    const again = await deliver(message(first), 2);
    const { faults: pending } = (await (await fetch(`${replay}/__replay/status`)).json()) as {
      faults: unknown;
    };
    expect(pending).toEqual([{ kind: "500", left: 1 }]);
    expect(again.result.explicitAcks).toEqual([again.id]);
    expect(again.result.retryMessages).toEqual([]);
    expect(again.line).toMatch(new RegExp(`${COLLECT_SHARD_SIZE} instruments, 0 failed`));
    expect(await storedTimes(first)).toEqual(before);
    // Nothing new: the shard's 4 reads (profiles, pauses, newest candles, outcomes), and for the profiles
    // whose turn it is this minute a gap check (5 queries) or an archive check (1).
    const refills = first.filter((id) => dueEvery(id, nowSec, CRON_GAP_REFILL_EVERY_MINUTES)).length;
    const compacts = first.filter((id) => dueEvery(id, nowSec, CRON_COMPACT_EVERY_MINUTES)).length;
    expect(again.queries).toBeLessThanOrEqual(4 + 5 * refills + compacts);
    expect(again.queries).toBeGreaterThanOrEqual(4);
  });

  it("retries a shard that fails as a whole, and only that one", async () => {
    const broken = await deliver({ ...message([]), ids: null } as unknown as CollectMessage);
    expect(broken.result.retryMessages).toEqual([{ msgId: broken.id }]);
    expect(broken.result.explicitAcks).toEqual([]);
    const fine = await deliver(message([...ids.values()].slice(0, 3)), 1);
    expect(fine.result.explicitAcks).toEqual([fine.id]);
  });

  it("retries a shard stopped by a 429 alone, fails a bad symbol alone, and bounds a shard's queries", {
    timeout: 60_000,
  }, async () => {
    const later = [...ids.values()].slice(ACTIVE);
    await env.DB.prepare(`update trading_profiles set is_active = 1 where id in (${later.join(",")})`).run();
    const gone = await insertProfile("GONEUSDT"); // delisted since it was added
    const a = later.slice(0, 10);
    const b = [...later.slice(10), gone];

    const okShard = await deliver(message(b, 1, 2));
    expect(okShard.result.explicitAcks).toEqual([okShard.id]);
    expect(okShard.line).toMatch(/11 instruments, 1 failed/);
    for (const t of (await storedTimes(later.slice(10))).values()) expect(t).toHaveLength(3);
    // A steady minute: per profile the upsert, the touched hour and day rollups (4), the profile, and the
    // odd gap check (5 at most for 11 profiles); 4 for the shard.
    expect(okShard.queries).toBeLessThanOrEqual(6 * 11 + 5 + 4);

    // Longer than a request may wait: the shard stops asking, pauses the exchange, and is retried alone.
    await fault({ kind: "429", times: 1, retryAfterSec: 7 });
    const limited = await deliver(message(a, 0, 2));
    expect(limited.result.retryMessages).toEqual([{ msgId: limited.id }]);
    expect(limited.line).toMatch(/10 instruments, [1-9]\d* failed/);
    const paused = await env.DB.prepare(
      "select value from app_state where key = 'exchange.pause.binance'",
    ).first<{ value: string }>();
    expect(JSON.parse(paused!.value).reason).toMatch(/rate limit/);
    // What the other shard stored is untouched.
    for (const t of (await storedTimes(later.slice(10))).values()) expect(t).toHaveLength(3);

    // The pause over, the retried delivery completes the shard; nothing is stored twice.
    await env.DB.prepare("delete from app_state where key like 'exchange.pause.%'").run();
    const retried = await deliver(message(a, 0, 2), 2);
    expect(retried.result.explicitAcks).toEqual([retried.id]);
    for (const t of (await storedTimes(a)).values())
      expect(t).toEqual([lastClosed - 120, lastClosed - 60, lastClosed]);
    const rows = await listProfiles(adminToken);
    expect(rows.find((p) => p.symbol === "GONEUSDT")!.collection).toMatchObject({
      failures: 1,
      last_error: expect.stringMatching(/GONEUSDT/),
    });
    expect(rows.find((p) => p.id === a[0])!.collection).toMatchObject({ failures: 0 });
  });

  it("keeps a catch-up shard within D1's 1,000 queries by handing what is left to a continuation", {
    timeout: 240_000,
  }, async () => {
    const first = [...ids.values()].slice(0, COLLECT_SHARD_SIZE);
    await env.DB.prepare(`delete from candles where profile_id in (${first.join(",")})`).run();
    // Each profile 4,000 minutes behind (days to archive into R2 on the way): 3 pages each would cost
    // this shard ~1,800 D1 calls.
    await env.DB.batch(
      first.map((id) =>
        env.DB.prepare(
          "insert into candles (profile_id, time, open, high, low, close, volume) values (?, ?, 1, 1, 1, 1, 1)",
        ).bind(id, lastClosed - 4000 * 60),
      ),
    );
    const r = await deliver(message(first), 1);
    console.log(`catch-up shard: ${r.line}`);
    const calls = Number(/(\d+) D1 queries/.exec(r.line)?.[1]);
    const deferred = Number(/(\d+) deferred/.exec(r.line)?.[1]);
    expect(calls).toBeLessThan(1000);
    expect(deferred).toBeGreaterThan(0);
    expect(r.result.explicitAcks).toEqual([r.id]);
    // The continuation runs through the real queue: every profile gets at least its first page (older
    // than today, so archived to R2 and indexed in candle_days).
    const archived = async () => {
      const { results } = await env.DB.prepare(
        `select profile_id as id, sum(candles) as n from candle_days where profile_id in (${first.join(",")}) group by profile_id`,
      ).all<{ id: number; n: number }>();
      return results;
    };
    let rows = await archived();
    for (
      const t0 = Date.now();
      rows.length < first.length && Date.now() - t0 < 120_000;
      rows = await archived()
    )
      await new Promise((res) => setTimeout(res, 250));
    expect(rows).toHaveLength(first.length);
    for (const row of rows) expect(row.n).toBeGreaterThanOrEqual(999);
  });
});
