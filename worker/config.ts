// Numbers that matter, in one place.
// New passwords follow core/auth/password-rule.ts (8 to 128); existing ones are accepted up to this
// length, long enough for any passphrase set under older rules and short enough that hashing cannot be
// turned into a CPU attack.
export const PASSWORD_MAX = 256;
export const EMAIL_MAX = 254;
export const NAME_MAX = 100;

// OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB, 2 iterations, 1 lane (the minimum it lists).
export const ARGON2 = { memoryKiB: 19_456, iterations: 2, parallelism: 1, hashLength: 32, saltLength: 16 };

export const TOKEN_ISSUER = "moneymoney";
// "fleet": the tokens the TrainerFleet hands its container instances (renewed while the instance runs).
export const TOKEN_TTL_SECONDS = {
  user: 24 * 3600,
  admin: 8 * 3600,
  trainer: 15 * 60,
  fleet: 20 * 60,
} as const;
export const SECRET_MIN_LENGTH = 32;
// Tolerated difference between a token minter's clock (the trainer's) and the Worker's.
export const CLOCK_SKEW_SECONDS = 60;

// Failed logins (OWASP ASVS 5.0 6.3.1: throttle without letting an attacker lock the owner out); see
// README "Sign-in throttling". Blocks grow from `firstBlockSeconds`, doubling, up to `maxBlockSeconds`.
export const THROTTLE = {
  windowSeconds: 15 * 60,
  // One client guessing one account: blocked strictly, but only that client for that account.
  pair: { failures: 5, firstBlockSeconds: 60, maxBlockSeconds: 15 * 60 },
  // One client spraying many accounts: that client is blocked.
  client: { failures: 20, firstBlockSeconds: 60, maxBlockSeconds: 15 * 60 },
  // Many clients guessing one account: once clients that never signed in to it made `attempts` tries
  // in the window, each such client gets `pairFailures` try at it per block instead of pair.failures.
  // Nothing blocks the account itself: a client that has not failed at it is always checked, so the
  // owner's right password gets in from a new device whatever the guessers do.
  account: { attempts: 10, pairFailures: 1 },
  // How long a successful sign-in makes the client "known" to the account.
  knownClientSeconds: 90 * 24 * 3600,
};

export const MAX_BODY_BYTES = 1024 * 1024;
// The longest URL the app itself builds is a few hundred characters.
export const MAX_PATH_CHARS = 2048;
export const MAX_QUERY_CHARS = 4096;
export const MAX_HEADER_BYTES = 32 * 1024;
// The window of the [[ratelimits]] bindings in wrangler.toml, sent as Retry-After on their 429s.
export const RATE_LIMIT_PERIOD_SECONDS = 60;
export const STALE_AFTER_SECONDS = 5 * 60;
// A profile whose collection failed this many cron runs in a row shows an error state (one failure is
// often a passing 429 or timeout).
export const COLLECTION_FAILING_AFTER = 3;

// Market data.
export const CHART_LIMIT = { min: 1, max: 5000, default: 100 };
// D1 binds at most 100 parameters a statement: 14 candle rows of 7 columns, 12 rollup rows of 8.
export const D1_MAX_PARAMS = 100;
export const CANDLE_ROWS_PER_INSERT = Math.floor(D1_MAX_PARAMS / 7);
export const ROLLUP_ROWS_PER_INSERT = Math.floor(D1_MAX_PARAMS / 8);
// Cron: pages of 1000 candles per profile per minute, so one lagging symbol cannot starve the rest.
export const CRON_PAGES_PER_PROFILE = 3;
// When a profile has no data yet, the cron starts this far back (a backfill fetches more).
export const CRON_INITIAL_LOOKBACK_SECONDS = 24 * 3600;
// Gap ranges the cron tries to refill per profile per run.
export const CRON_GAP_REFILLS = 2;
// Gap refills (~6 queries) run for each profile once every 15 minutes, archiving (1 query) once an hour,
// staggered by profile id, so most minutes cost a profile only its collection's ~8 queries.
export const CRON_GAP_REFILL_EVERY_MINUTES = 15;
export const CRON_COMPACT_EVERY_MINUTES = 60;
// Collection fans out through the COLLECT_QUEUE: one message per shard of this many profiles, one shard
// per consumer invocation. D1 allows 1,000 queries per invocation (Workers Paid; 50 on Free): a steady
// shard of 50 measured 271 to 276 (~5 per profile plus the staggered gap and archive checks; README,
// "Collection at scale"); a catch-up is bounded by COLLECT_SHARD_QUERY_BUDGET below.
export const COLLECT_SHARD_SIZE = 50;
// A catch-up (3 pages for every profile, days crossed into R2) can cost a shard ~1,800 D1 calls: once a
// shard has made this many, it asks for no further pages and hands its profiles not yet started to a
// continuation message of the same minute. In-flight pages (6 lanes, ~20 calls each at most) stay under
// 1,000.
export const COLLECT_SHARD_QUERY_BUDGET = 700;
// Profiles of a shard collected at once (a Worker invocation keeps at most 6 connections open).
export const COLLECT_SHARD_CONCURRENCY = 6;
// A shard stopped by a 429 is delivered again after the Retry-After when that is at most this long;
// longer, and the next minute's cron is the retry.
export const COLLECT_RETRY_AFTER_MAX_SECONDS = 30;
// A backfill alarm works this long, then saves its cursor and schedules the next alarm.
export const BACKFILL_SLICE_MS = 10_000;
// Inside a slice, progress is reported after each stored day, but at most once a second.
export const BACKFILL_PROGRESS_EVERY_MS = 1_000;
export const BACKFILL_LEASE_SECONDS = 120;
// A backfill rides out a short exchange outage (network, timeouts, 5xx, 429): it pauses 5 s, 10 s,
// 20 s ... up to a minute between slices, and fails only when the outage outlasts 10 minutes.
export const BACKFILL_OUTAGE = { firstPauseSeconds: 5, maxPauseSeconds: 60, giveUpAfterSeconds: 10 * 60 };

// Training jobs.
export const TRAIN_LEASE_SECONDS = 120;
/**
 * The training lease: TRAIN_LEASE_SECONDS, or the env's shorter TRAIN_LEASE_SECONDS (10 s at least), so
 * that a test sees a killed trainer's job retried in seconds. Production leaves it unset.
 */
export function trainLeaseSeconds(env: { TRAIN_LEASE_SECONDS?: string }) {
  const n = Number(env.TRAIN_LEASE_SECONDS || Number.NaN);
  return Number.isInteger(n) && n >= 10 && n < TRAIN_LEASE_SECONDS ? n : TRAIN_LEASE_SECONDS;
}
// GET /api/admin/trainers lists trainers heard from within this window.
export const TRAINER_PRESENCE_SECONDS = 600;
export const MAX_ARTIFACT_BYTES = 32 * 1024 * 1024;
// The trainer may read more candles than a chart shows (a year of 1h candles is 8,760).
export const TRAINER_CANDLE_LIMIT = 200_000;

// The trainer fleet (Cloudflare Containers, worker/fleet/): at most TRAINER_MAX_INSTANCES (a wrangler.toml
// var) instances at once, never more than the claimable training jobs.
export const FLEET_DEFAULT_MAX_INSTANCES = 4;
// A trainer that called within this long is live (an idle one polls every 5 s, a busy one reports at
// least every 30 s): the cron wakes the fleet for waiting training jobs only when none is.
export const TRAINER_LIVE_SECONDS = 60;
// The fleet's alarm while any instance lives: checks each instance and stops what the queue no longer needs.
export const FLEET_CHECK_SECONDS = 30;
// An instance renews its token when less than this is left (it asks every few minutes meanwhile).
export const FLEET_RENEW_BEFORE_SECONDS = 10 * 60;
// What the container's trainer is told: exit 0 after this long without a job to claim (scale to zero).
export const FLEET_IDLE_EXIT_SECONDS = 60;
// Instances are named fleet-SLOT-GENERATION: the generation grows with every start of a slot, so a
// token of an earlier run of the slot is never renewed.
export const FLEET_SUBJECT = /^fleet-(\d{1,3})-(\d{1,12})$/;

// Facts the hot user routes look up on every request (the account's token version, a trained
// profile, the version of its stored candles, its active models) are kept per isolate this long
// (worker/db/memo.ts). A write made in this isolate forgets them at once; one made elsewhere (the
// cron, a backfill runner, another isolate's password change) is seen within this bound.
export const FACTS_TTL_MS = 2_000;
