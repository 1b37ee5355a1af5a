// Queries over alerts, db first. The per-user cap is enforced by the insert itself, atomically.
import { and, asc, eq, sql } from "drizzle-orm";
import type { AlertKind } from "../../core/alerts/rules";
import { alerts } from "./alerts-schema";
import type { Db } from "./client";
import { tradingProfiles } from "./schema";

export type AlertRow = typeof alerts.$inferSelect;
export type AlertWithSymbol = AlertRow & { symbol: string };

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export const publicAlert = (a: AlertWithSymbol) => ({
  id: a.id,
  symbol: a.symbol,
  kind: a.kind,
  value: a.value,
  enabled: a.enabled,
  state: a.armed === null ? ("waiting" as const) : a.armed ? ("armed" as const) : ("triggered" as const),
  last_fired_at: iso(a.lastFiredAt),
  created_at: a.createdAt.toISOString(),
});

const withSymbol = { alert: alerts, symbol: tradingProfiles.symbol };
const flatten = (r: { alert: AlertRow; symbol: string }): AlertWithSymbol => ({
  ...r.alert,
  symbol: r.symbol,
});

export async function listUserAlerts(db: Db, userId: number) {
  const rows = await db
    .select(withSymbol)
    .from(alerts)
    .innerJoin(tradingProfiles, eq(alerts.profileId, tradingProfiles.id))
    .where(eq(alerts.userId, userId))
    .orderBy(asc(alerts.id));
  return rows.map(flatten);
}

export async function getUserAlert(db: Db, userId: number, id: number) {
  const rows = await db
    .select(withSymbol)
    .from(alerts)
    .innerJoin(tradingProfiles, eq(alerts.profileId, tradingProfiles.id))
    .where(and(eq(alerts.id, id), eq(alerts.userId, userId)));
  return rows[0] ? flatten(rows[0]) : null;
}

/**
 * Inserts an alert unless the user already has `cap`: one statement (INSERT ... SELECT ... WHERE count
 * < cap), so two requests at once cannot both pass a count made before either wrote. Null when capped.
 */
export async function insertAlertCapped(
  d1: D1Database,
  a: { userId: number; profileId: number; kind: AlertKind; value: number | null },
  cap: number,
): Promise<number | null> {
  const row = await d1
    .prepare(
      `insert into alerts (user_id, profile_id, kind, value)
       select ?1, ?2, ?3, ?4 where (select count(*) from alerts where user_id = ?1) < ?5
       returning id`,
    )
    .bind(a.userId, a.profileId, a.kind, a.value, cap)
    .first<{ id: number }>();
  return row?.id ?? null;
}

/** Changes value and/or enabled; a new value starts the alert over (not yet evaluated). */
export async function updateUserAlert(
  db: Db,
  userId: number,
  id: number,
  changes: { value?: number | null; enabled?: boolean },
) {
  const set: Partial<typeof alerts.$inferInsert> = { updatedAt: new Date() };
  if (changes.enabled !== undefined) set.enabled = changes.enabled;
  if (changes.value !== undefined) {
    set.value = changes.value;
    set.armed = null;
  }
  const rows = await db
    .update(alerts)
    .set(set)
    .where(and(eq(alerts.id, id), eq(alerts.userId, userId)))
    .returning({ id: alerts.id });
  return rows.length > 0;
}

export async function deleteUserAlert(db: Db, userId: number, id: number) {
  const rows = await db
    .delete(alerts)
    .where(and(eq(alerts.id, id), eq(alerts.userId, userId)))
    .returning({ id: alerts.id });
  return rows.length > 0;
}

/** The enabled alerts of one instrument, as its feed evaluates them. */
export async function instrumentAlerts(db: Db, symbol: string) {
  return db
    .select({
      id: alerts.id,
      userId: alerts.userId,
      kind: alerts.kind,
      value: alerts.value,
      armed: alerts.armed,
    })
    .from(alerts)
    .innerJoin(tradingProfiles, eq(alerts.profileId, tradingProfiles.id))
    .where(and(eq(tradingProfiles.symbol, symbol), eq(alerts.enabled, true)))
    .orderBy(asc(alerts.id));
}

export type WatchedAlert = Awaited<ReturnType<typeof instrumentAlerts>>[number];

export const countUserAlerts = async (db: Db, userId: number) =>
  (await db.select({ n: sql<number>`count(*)` }).from(alerts).where(eq(alerts.userId, userId)))[0]?.n ?? 0;
