// D1 tables of alerts, the notifications they fire and the Web Push subscriptions that carry them. Each
// row belongs to a user and goes with the account (ON DELETE CASCADE); an alert goes with its instrument.
import { sql } from "drizzle-orm";
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ALERT_KINDS } from "../../core/alerts/rules";
import { tradingProfiles, users } from "./schema";

const now = sql`(unixepoch())`;

export const alerts = sqliteTable(
  "alerts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    profileId: integer("profile_id")
      .notNull()
      .references(() => tradingProfiles.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: ALERT_KINDS }).notNull(),
    value: real("value"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    // null until the instrument's feed has evaluated it once (core/alerts/rules.ts step()).
    armed: integer("armed", { mode: "boolean" }),
    lastFiredAt: integer("last_fired_at", { mode: "timestamp" }),
    createdAt: integer("created_at", { mode: "timestamp" }).notNull().default(now),
    updatedAt: integer("updated_at", { mode: "timestamp" }).notNull().default(now),
  },
  (t) => [index("alerts_user_idx").on(t.userId), index("alerts_profile_idx").on(t.profileId, t.enabled)],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    // A deleted alert keeps the notifications it already fired.
    alertId: integer("alert_id").references(() => alerts.id, { onDelete: "set null" }),
    // One per alert and event (alert id, kind and the minute or hour it is about): a candle evaluated
    // twice inserts nothing the second time, so it is notified once.
    eventKey: text("event_key").notNull(),
    symbol: text("symbol").notNull(),
    kind: text("kind", { enum: ALERT_KINDS }).notNull(),
    title: text("title").notNull(),
    body: text("body").notNull(),
    // The minute (or hour) the event is about, unix seconds.
    eventTime: integer("event_time").notNull(),
    createdAt: integer("created_at", { mode: "timestamp" }).notNull().default(now),
    readAt: integer("read_at", { mode: "timestamp" }),
  },
  (t) => [
    uniqueIndex("notifications_event_idx").on(t.eventKey),
    index("notifications_user_idx").on(t.userId, t.id),
  ],
);

export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    createdAt: integer("created_at", { mode: "timestamp" }).notNull().default(now),
  },
  (t) => [uniqueIndex("push_endpoint_idx").on(t.endpoint), index("push_user_idx").on(t.userId)],
);
