// BackfillRunner: one Durable Object per collection job. Each alarm works a slice of the backfill
// (BACKFILL_SLICE_MS), saves its cursor in the job row and schedules the next alarm, so a backfill of
// years outlives any single invocation's CPU and subrequest limits. A runner that dies loses at most
// the slice it was in: the cron restarts it once its lease expires.
import { DurableObject } from "cloudflare:workers";
import type { Candle } from "../core/candles/types";
import { DAY } from "../core/candles/types";
import { formatCount } from "../core/format";
import type { JobStatus } from "../core/jobs";
import {
  BACKFILL_LEASE_SECONDS,
  BACKFILL_OUTAGE,
  BACKFILL_PROGRESS_EVERY_MS,
  BACKFILL_SLICE_MS,
} from "./config";
import { getDb } from "./db/client";
import { finishJob, holdJob, reportProgress } from "./db/job-leases";
import { getProfile } from "./db/profiles";
import { dayStart } from "./market/archive";
import { fetchPage } from "./market/collector";
import { ExchangeError, MAX_CANDLES_PER_REQUEST } from "./market/exchange";
import { exchangeFor, rememberMarkets } from "./market/markets-cache";
import { archivedDays, storeCandles, storedCount } from "./market/store";
import { publishProgress } from "./progress-hub";

export interface BackfillParams {
  days: number;
  interval: "1m";
  from: number;
  to: number;
  cursor: number;
  /** Candles fetched from the exchange and written (a minute already stored counts again). */
  stored: number;
  /** Of those, the minutes that were not stored before (absent in jobs from before it was counted). */
  added?: number;
  /** Set while the exchange is failing transiently: when it started and how many slices paused. */
  outage?: { since: number; pauses: number; reason: string };
}

const BACKFILL_RETRY = { retries: 4, baseDelayMs: 500, maxDelayMs: 30_000 };
const owner = (jobId: number) => `backfill:${jobId}`;

export class BackfillRunner extends DurableObject<Env> {
  /** Starts (or keeps) the runner of `jobId`; idempotent. */
  async start(jobId: number) {
    await this.ctx.storage.put("jobId", jobId);
    if ((await this.ctx.storage.getAlarm()) === null) await this.ctx.storage.setAlarm(Date.now());
  }

  override async alarm() {
    const jobId = await this.ctx.storage.get<number>("jobId");
    if (jobId === undefined) return;
    const next = await runBackfillSlice(this.env, jobId, Date.now());
    if (next === null) await this.ctx.storage.deleteAll();
    else await this.ctx.storage.setAlarm(next);
  }
}

export const backfillRunner = (env: Env, jobId: number) =>
  env.BACKFILL_RUNNER.get(env.BACKFILL_RUNNER.idFromName(`job:${jobId}`));

/** Days in [from, to) whose archive already holds all 1440 minutes: a backfill skips them. */
async function completeDays(db: ReturnType<typeof getDb>, profileId: number, from: number, to: number) {
  const rows = await archivedDays(db, profileId, dayStart(from), to);
  return new Set(rows.filter((d) => d.candles === 1440).map((d) => d.day));
}

/**
 * Works one slice of a backfill job. Returns when to run the next slice (ms epoch), or null when
 * the job is over (done, failed, cancelled, or held by someone else).
 */
export async function runBackfillSlice(env: Env, jobId: number, nowMs: number): Promise<number | null> {
  const db = getDb(env.DB);
  const me = owner(jobId);
  const job = await holdJob(db, jobId, me, BACKFILL_LEASE_SECONDS, new Date(nowMs));
  if (!job) return null;
  const profile = job.profileId === null ? null : await getProfile(db, job.profileId);
  const params = job.params as unknown as BackfillParams;
  const event = (progress: number, message: string, status: JobStatus = "running") =>
    publishProgress(env, {
      type: "data_collection_progress",
      job_id: jobId,
      profile_id: job.profileId,
      symbol: job.symbol,
      progress,
      message,
      status,
    });
  if (!profile) {
    await finishJob(db, jobId, me, { status: "failed", error: "The profile no longer exists" }, new Date());
    return null;
  }
  const ex = exchangeFor(env, profile.exchange);
  const nowSec = Math.floor(nowMs / 1000);
  const skip = await completeDays(db, profile.id, params.cursor, params.to);
  const span = Math.max(1, params.to - params.from);
  let cursor = params.cursor;
  let stored = params.stored;
  let added = params.added ?? 0;
  let buffer: Candle[] = [];
  let reportedAt = nowMs;
  const flushBefore = async (limit: number) => {
    const done = buffer.filter((c) => c.time < limit);
    buffer = buffer.filter((c) => c.time >= limit);
    if (done.length === 0) return false;
    const before = await storedCount(db, profile.id);
    stored += await storeCandles(env.BUCKET, db, profile, done, nowSec);
    added += Math.max(0, (await storedCount(db, profile.id)) - before);
    return true;
  };
  // "Fetched" and "new" apart: a backfill over days already stored fetches many and adds few.
  const counted = () => `${formatCount(stored)} candles fetched, ${formatCount(added)} new`;
  /** Saves the cursor and tells watchers; the job's state afterwards ("running" unless cancelled). */
  const report = async (at: number) => {
    reportedAt = Date.now();
    const progress = Math.min(1, (at - params.from) / span);
    const state = await reportProgress(
      db,
      jobId,
      me,
      {
        progress,
        params: { ...params, cursor: at, stored, added, outage: undefined },
        message: counted(),
        leaseSeconds: BACKFILL_LEASE_SECONDS,
      },
      new Date(),
    );
    if (state === "running" && at < params.to) await event(progress, counted());
    return state;
  };
  try {
    while (cursor < params.to && Date.now() - nowMs < BACKFILL_SLICE_MS) {
      if (skip.has(dayStart(cursor))) {
        await flushBefore(dayStart(cursor));
        cursor = dayStart(cursor) + DAY;
        continue;
      }
      const page = (await fetchPage(ex, profile.symbol, cursor, nowSec, BACKFILL_RETRY)).filter(
        (c) => c.time < params.to,
      );
      buffer.push(...page);
      const reached = page.length ? page[page.length - 1].time + 60 : params.to;
      cursor =
        page.length < MAX_CANDLES_PER_REQUEST ? Math.max(reached, nextDayOrEnd(cursor, params.to)) : reached;
      // Whole days are written once each (an R2 key takes one write a second). Each stored day is
      // reported, at most once a second, so a long slice shows progress instead of one jump.
      const storedDay = await flushBefore(dayStart(cursor));
      if (storedDay && cursor < params.to && Date.now() - reportedAt >= BACKFILL_PROGRESS_EVERY_MS) {
        if ((await report(buffer.length ? buffer[0].time : cursor)) !== "running") return null;
      }
    }
    rememberMarkets(env, ex);
    if (cursor >= params.to) await flushBefore(Number.MAX_SAFE_INTEGER);
    // The unfinished day is not written yet: the next slice fetches it again from its first candle.
    else if (buffer.length) cursor = buffer[0].time;
  } catch (err) {
    const e = err instanceof ExchangeError ? err : null;
    const message = err instanceof Error ? err.message : String(err);
    // Candles of whole days are stored; the unfinished day is fetched again from its first candle.
    const resumeAt = buffer.length ? buffer[0].time : cursor;
    const pause = e?.retryable ? outagePause(params.outage, e, Math.floor(Date.now() / 1000)) : null;
    if (pause) {
      const note = `waiting for the exchange: retry in ${pause.delaySec} s (${message})`;
      const state = await reportProgress(
        db,
        jobId,
        me,
        {
          message: note,
          params: { ...params, cursor: resumeAt, stored, added, outage: pause.outage },
          leaseSeconds: BACKFILL_LEASE_SECONDS + pause.delaySec,
        },
        new Date(),
      );
      if (state !== "running") return null;
      await event(job.progress, note);
      return Date.now() + pause.delaySec * 1000;
    }
    const why = params.outage && e?.retryable ? `${outageSummary(params.outage)}: ${message}` : message;
    await reportProgress(
      db,
      jobId,
      me,
      { params: { ...params, cursor: resumeAt, stored, added } },
      new Date(),
    );
    await finishJob(db, jobId, me, { status: "failed", error: why }, new Date());
    await event(job.progress, `failed: ${why}`, "failed");
    return null;
  }
  // Cancelled meanwhile: what is stored stays, nothing more is fetched.
  if ((await report(cursor)) !== "running") return null;
  if (cursor >= params.to) {
    await finishJob(db, jobId, me, { status: "succeeded", message: counted() }, new Date());
    await event(1, `done: ${counted()}`, "succeeded");
    return null;
  }
  return Date.now();
}

/**
 * The next pause of a backfill whose exchange fails transiently (network, timeout, 5xx, 429): backoff
 * from BACKFILL_OUTAGE.firstPauseSeconds, doubling up to maxPauseSeconds, or a 429's Retry-After;
 * null once the outage has lasted longer than giveUpAfterSeconds.
 */
export function outagePause(outage: BackfillParams["outage"], e: ExchangeError, nowSec: number) {
  const since = outage?.since ?? nowSec;
  const pauses = (outage?.pauses ?? 0) + 1;
  if (nowSec - since >= BACKFILL_OUTAGE.giveUpAfterSeconds) return null;
  const backoff = Math.min(
    BACKFILL_OUTAGE.maxPauseSeconds,
    BACKFILL_OUTAGE.firstPauseSeconds * 2 ** (pauses - 1),
  );
  const delaySec = Math.max(
    1,
    e.kind === "rate_limited" && e.retryAfterSec !== undefined ? e.retryAfterSec : backoff,
  );
  return { delaySec, outage: { since, pauses, reason: e.kind } };
}

const outageSummary = (o: NonNullable<BackfillParams["outage"]>) =>
  `the exchange kept failing for ${Math.round((Date.now() / 1000 - o.since) / 60)} min (${o.pauses} pauses)`;

function nextDayOrEnd(cursor: number, to: number) {
  return Math.min(dayStart(cursor) + DAY, to);
}
