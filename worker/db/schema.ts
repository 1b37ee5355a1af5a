// The one source of truth for D1's tables; drizzle-kit generates migrations/ from this file.
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { PROFILE_TYPES } from "../../core/instruments";
import { JOB_KINDS, JOB_STATUSES } from "../../core/jobs";
import type { StoredMetrics, StoredTrainedOn } from "../contract/models";
import { createdAt, ownedBy, rowId, stamps, timestamp, updatedAt } from "./columns";

/** A row of a user's that goes with the account. */
export const userId = () => ownedBy("user_id", () => users.id);
/** A row about an instrument that goes with its profile. */
export const profileId = () => ownedBy("profile_id", () => tradingProfiles.id);
/**
 * An account's columns (with `extra` after the email): how it signs in, and its token version, bumped on
 * password change so that tokens issued before it stop working.
 */
const account = <T extends object>(extra: T) => ({
  id: rowId(),
  email: text("email").notNull().unique(),
  ...extra,
  passwordHash: text("password_hash").notNull(),
  tokenVersion: integer("token_version").notNull().default(0),
  ...stamps(),
});

export const users = sqliteTable("users", account({}));

export const adminUsers = sqliteTable("admin_users", account({ name: text("name").notNull() }));

export const tradingProfiles = sqliteTable("trading_profiles", {
  id: rowId(),
  symbol: text("symbol").notNull().unique(),
  name: text("name").notNull(),
  profileType: text("profile_type", { enum: PROFILE_TYPES }).notNull().default("crypto"),
  exchange: text("exchange").notNull().default("binance"),
  isActive: integer("is_active", { mode: "boolean" }).notNull().default(true),
  hasData: integer("has_data", { mode: "boolean" }).notNull().default(false),
  modelsTrained: integer("models_trained", { mode: "boolean" }).notNull().default(false),
  lastDataUpdate: timestamp("last_data_update"),
  // The market's price tick from ccxt's precision, read when the exchange confirms the symbol; null for
  // profiles made before it was kept or on exchanges that cannot be asked.
  tickSize: real("tick_size"),
  ...stamps(),
});

/** The instruments a user starred: listed first on their watchlist. */
export const watchlistStars = sqliteTable(
  "watchlist_stars",
  {
    userId: userId(),
    profileId: profileId(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.profileId] })],
);

export const jobs = sqliteTable(
  "jobs",
  {
    id: rowId(),
    kind: text("kind", { enum: JOB_KINDS }).notNull(),
    status: text("status", { enum: JOB_STATUSES }).notNull().default("queued"),
    progress: real("progress").notNull().default(0),
    profileId: integer("profile_id").references(() => tradingProfiles.id, { onDelete: "cascade" }),
    modelType: text("model_type"),
    params: text("params", { mode: "json" }).$type<Record<string, unknown>>(),
    message: text("message"),
    error: text("error"),
    attempts: integer("attempts").notNull().default(0),
    maxAttempts: integer("max_attempts").notNull().default(3),
    leaseOwner: text("lease_owner"),
    leaseExpiresAt: timestamp("lease_expires_at"),
    createdBy: integer("created_by"),
    ...stamps(),
    startedAt: timestamp("started_at"),
    finishedAt: timestamp("finished_at"),
  },
  (t) => [index("jobs_status_idx").on(t.status, t.kind, t.id), index("jobs_profile_idx").on(t.profileId)],
);

export const mlModels = sqliteTable(
  "ml_models",
  {
    id: rowId(),
    profileId: profileId(),
    modelType: text("model_type").notNull(),
    version: integer("version").notNull(),
    status: text("status", { enum: ["uploading", "ready", "rejected", "retired"] })
      .notNull()
      .default("uploading"),
    active: integer("active", { mode: "boolean" }).notNull().default(false),
    jobId: integer("job_id"),
    trainedAt: timestamp("trained_at"),
    trainedOn: text("trained_on", { mode: "json" }).$type<StoredTrainedOn>(),
    parameters: text("parameters", { mode: "json" }).$type<Record<string, unknown>>(),
    metrics: text("metrics", { mode: "json" }).$type<StoredMetrics>(),
    artifactKey: text("artifact_key"),
    artifactSha256: text("artifact_sha256"),
    artifactBytes: integer("artifact_bytes"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("ml_models_version_idx").on(t.profileId, t.modelType, t.version)],
);

// A version's rolling-evaluation forecasts: at each origin hour (`times`, period opens) the one-step
// log-return forecast and its sd, made by the fold model fitted before that hour's block.
export const modelEvaluations = sqliteTable("model_evaluations", {
  modelId: integer("model_id")
    .primaryKey()
    .references(() => mlModels.id, { onDelete: "cascade" }),
  times: text("times", { mode: "json" }).notNull().$type<number[]>(),
  mean: text("mean", { mode: "json" }).notNull().$type<number[]>(),
  sigma: text("sigma", { mode: "json" }).notNull().$type<number[]>(),
});

// The backtests of a profile's active model set (`model_ids`, ascending), computed once when a version
// becomes active, from the versions' evaluation forecasts; one row per mode and run ("ensemble" or a
// model type) so a request reads only the answer it serves.
export const modelBacktests = sqliteTable(
  "model_backtests",
  {
    profileId: profileId(),
    mode: text("mode").notNull(),
    run: text("run").notNull(),
    modelIds: text("model_ids").notNull(),
    computedAt: timestamp("computed_at").notNull(),
    body: text("body", { mode: "json" }).notNull().$type<Record<string, unknown>>(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.mode, t.run] })],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: rowId(),
    adminId: integer("admin_id"),
    action: text("action").notNull(),
    target: text("target"),
    detail: text("detail", { mode: "json" }).$type<Record<string, unknown>>(),
    ip: text("ip"),
    createdAt: createdAt(),
  },
  (t) => [index("audit_log_admin_idx").on(t.adminId, t.createdAt)],
);

// Failed-login counters, one row per throttled key ("acct:user:<email>", "ip:<addr>").
export const authThrottle = sqliteTable("auth_throttle", {
  key: text("key").primaryKey(),
  failures: integer("failures").notNull().default(0),
  windowStart: integer("window_start").notNull(),
  blockedUntil: integer("blocked_until").notNull().default(0),
});

// Trainers heard from (any /api/trainer call), so admins can see whether one is connected.
export const trainers = sqliteTable("trainers", {
  id: text("id").primaryKey(),
  lastSeen: timestamp("last_seen").notNull(),
  // The job it reported on last; null while it polls for work.
  jobId: integer("job_id"),
});

// Small operational facts (e.g. when the collector last ran), one row per key.
export const appState = sqliteTable("app_state", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
  updatedAt: updatedAt(),
});

const ohlcv = () => ({
  open: real("open").notNull(),
  high: real("high").notNull(),
  low: real("low").notNull(),
  close: real("close").notNull(),
  volume: real("volume").notNull(),
});

// Recent 1m candles, where appends are cheap. Complete UTC days move to R2 archives (see candleDays).
export const candles = sqliteTable(
  "candles",
  {
    profileId: profileId(),
    time: integer("time").notNull(),
    ...ohlcv(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.time] })],
);

// 1h and 1D rollups of every stored 1m candle, so long ranges never rescan 1m data.
export const candleRollups = sqliteTable(
  "candle_rollups",
  {
    profileId: profileId(),
    timeframe: text("timeframe", { enum: ["1h", "1D"] }).notNull(),
    time: integer("time").notNull(),
    ...ohlcv(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.timeframe, t.time] })],
);

// One row per archived UTC day in R2: what the object holds, so status and gaps never read R2.
export const candleDays = sqliteTable(
  "candle_days",
  {
    profileId: profileId(),
    day: integer("day").notNull(),
    candles: integer("candles").notNull(),
    firstTime: integer("first_time").notNull(),
    lastTime: integer("last_time").notNull(),
    bytes: integer("bytes").notNull(),
    // Runs of missing minutes inside the day, as [[from, to], ...] (unix seconds, inclusive).
    gaps: text("gaps", { mode: "json" }).$type<[number, number][]>().notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.profileId, t.day] })],
);
