// Alerts, the notifications they fire and Web Push subscriptions: request and answer schemas.
import { z } from "@hono/zod-openapi";
import { ALERT_KINDS, ALERT_LIMITS, type AlertKind, valueRule } from "../../core/alerts/rules";

const Kind = z.enum(ALERT_KINDS).openapi({
  description:
    "price_above / price_below: a minute closes at or beyond `value`; change_pct: the close moved `value` percent (either sign) over 60 minutes; signal_change: the hourly signal changes; band_exit: a close leaves the 95% band forecast for its hour; data_stale: no new candle for `value` minutes (default 10)",
});

/** Why `value` does not fit `kind`, or null when it does. */
export function valueProblem(kind: AlertKind, value: number | null | undefined): string | null {
  const rule = valueRule(kind);
  const { changePct: pct, staleMinutes: st } = ALERT_LIMITS;
  if (rule === "none") return value == null ? null : `${kind} takes no value`;
  if (value == null) return rule === "minutes" ? null : `${kind} needs a value`;
  if (rule === "price" && !(value > 0)) return "A price level must be above 0";
  if (rule === "percent" && !(Math.abs(value) >= pct.min && Math.abs(value) <= pct.max))
    return `A change is ${pct.min} to ${pct.max} percent, up (positive) or down (negative)`;
  if (rule === "minutes" && !(Number.isInteger(value) && value >= st.min && value <= st.max))
    return `Stale data is ${st.min} to ${st.max} whole minutes`;
  return null;
}

const Value = z.number().finite().nullable().optional();

export const AlertCreate = z
  .strictObject({
    symbol: z.string().trim().min(1).max(40).openapi({ example: "BTCUSDT" }),
    kind: Kind,
    value: Value.openapi({ example: 70000 }),
  })
  .superRefine((b, ctx) => {
    const problem = valueProblem(b.kind, b.value);
    if (problem) ctx.addIssue({ code: "custom", path: ["value"], message: problem });
  });

export const AlertPatch = z
  .strictObject({ value: Value, enabled: z.boolean().optional() })
  .refine((b) => b.value !== undefined || b.enabled !== undefined, {
    message: "Send a new value, enabled, or both",
  });

export const Alert = z
  .object({
    id: z.number().int(),
    symbol: z.string(),
    kind: Kind,
    value: z.number().nullable(),
    enabled: z.boolean(),
    state: z.enum(["waiting", "armed", "triggered"]).openapi({
      description:
        "waiting: not evaluated yet; armed: fires at the next crossing; triggered: fired, re-arms once the price crosses back",
    }),
    last_fired_at: z.string().nullable(),
    created_at: z.string(),
  })
  .openapi("Alert");

export const AlertList = z.object({ alerts: z.array(Alert), limit: z.number().int() });

export const Notification = z
  .object({
    id: z.number().int(),
    alert_id: z.number().int().nullable(),
    symbol: z.string(),
    kind: Kind,
    title: z.string(),
    body: z.string(),
    event_time: z.number().int(),
    created_at: z.string(),
    read: z.boolean(),
  })
  .openapi("Notification");

export const NotificationQuery = z.object({
  before: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, { message: "before is a notification id" })
    .transform(Number)
    .optional(),
  limit: z
    .string()
    .regex(/^[1-9][0-9]?$|^100$/, { message: "limit is 1 to 100" })
    .transform(Number)
    .optional(),
});

export const NotificationList = z.object({ notifications: z.array(Notification), unread: z.number().int() });

export const MarkRead = z
  .strictObject({
    ids: z.array(z.number().int().positive()).min(1).max(100).optional(),
    all: z.literal(true).optional(),
  })
  .refine((b) => (b.ids === undefined) !== (b.all === undefined), {
    message: "Send either ids or all: true",
  });

export const MarkedRead = z.object({ marked: z.number().int(), unread: z.number().int() });

const B64Url = (bytes: number, what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]+={0,2}$/, { message: `${what} is base64url` })
    .refine((s) => Math.floor((s.replace(/=+$/, "").length * 3) / 4) === bytes, {
      message: `${what} is ${bytes} bytes`,
    });

export const PushSubscriptionBody = z.object({
  endpoint: z.string().url().max(1024),
  expirationTime: z.number().nullable().optional(),
  keys: z.object({ p256dh: B64Url(65, "keys.p256dh"), auth: B64Url(16, "keys.auth") }),
});
export const PushUnsubscribe = z.object({ endpoint: z.string().url().max(1024) });
export const PushKey = z.object({ public_key: z.string() }).openapi("PushKey");
export const PushSubscribed = z.object({ id: z.number().int() });

/** What a user's live channel carries when one of the user's alerts fired. */
export const LiveNotificationEvent = z.object({
  type: z.literal("notification"),
  notification: Notification,
});
