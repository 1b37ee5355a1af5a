// D1 tables of alerts, the notifications they fire and the Web Push subscriptions that carry them. Each
// row belongs to a user and goes with the account (ON DELETE CASCADE); an alert goes with its instrument.
import { index, integer, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { ALERT_KINDS } from "../../core/alerts/rules";
import { createdAt, rowId, stamps, timestamp } from "./columns";
import { profileId, userId } from "./schema";

export const alerts = sqliteTable(
  "alerts",
  {
    id: rowId(),
    userId: userId(),
    profileId: profileId(),
    kind: text("kind", { enum: ALERT_KINDS }).notNull(),
    value: real("value"),
    enabled: integer("enabled", { mode: "boolean" }).notNull().default(true),
    // null until the instrument's feed has evaluated it once (core/alerts/rules.ts step()).
    armed: integer("armed", { mode: "boolean" }),
    lastFiredAt: timestamp("last_fired_at"),
    ...stamps(),
  },
  (t) => [index("alerts_user_idx").on(t.userId), index("alerts_profile_idx").on(t.profileId, t.enabled)],
);

export const notifications = sqliteTable(
  "notifications",
  {
    id: rowId(),
    userId: userId(),
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
    createdAt: createdAt(),
    readAt: timestamp("read_at"),
  },
  (t) => [
    uniqueIndex("notifications_event_idx").on(t.eventKey),
    index("notifications_user_idx").on(t.userId, t.id),
  ],
);

export const pushSubscriptions = sqliteTable(
  "push_subscriptions",
  {
    id: rowId(),
    userId: userId(),
    endpoint: text("endpoint").notNull(),
    p256dh: text("p256dh").notNull(),
    auth: text("auth").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("push_endpoint_idx").on(t.endpoint), index("push_user_idx").on(t.userId)],
);
