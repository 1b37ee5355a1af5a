// The audit trail of admin actions. What an anonymous client can make us write (failed and refused
// admin sign-ins) is bounded: targets are cut to AUDIT_TEXT_MAX characters, a refusal is written once
// per client and throttle window (admin-auth), and the cron keeps such rows for AUDIT_NOISE_DAYS and
// at most AUDIT_NOISE_MAX of them; every other action (what admins did) is kept.
import { and, desc, eq, inArray, lt, notInArray } from "drizzle-orm";
import type { Db } from "./client";
import { auditLog } from "./schema";

/** Actions an anonymous client can cause; the only rows the cron prunes. */
export const AUDIT_NOISE = ["admin.login_failed", "admin.login_refused"] as const;
export const AUDIT_NOISE_DAYS = 30;
export const AUDIT_NOISE_MAX = 10_000;
export const AUDIT_TEXT_MAX = 160;

export interface AuditEntry {
  adminId: number | null;
  action: string;
  target?: string;
  detail?: Record<string, unknown>;
  ip?: string | null;
}

export async function writeAudit(db: Db, entry: AuditEntry) {
  await db.insert(auditLog).values({
    adminId: entry.adminId,
    action: entry.action,
    target: entry.target?.slice(0, AUDIT_TEXT_MAX) ?? null,
    detail: entry.detail ?? null,
    ip: entry.ip ?? null,
  });
}

export async function listAudit(db: Db, opts: { adminId?: number; limit: number }) {
  return db
    .select()
    .from(auditLog)
    .where(opts.adminId === undefined ? undefined : eq(auditLog.adminId, opts.adminId))
    .orderBy(desc(auditLog.id))
    .limit(opts.limit);
}

/** Drops anonymous-client rows older than AUDIT_NOISE_DAYS, and the oldest beyond AUDIT_NOISE_MAX. */
export async function pruneAudit(db: Db, now: Date) {
  const noise = inArray(auditLog.action, [...AUDIT_NOISE]);
  const before = new Date(now.getTime() - AUDIT_NOISE_DAYS * 86_400_000);
  await db.delete(auditLog).where(and(noise, lt(auditLog.createdAt, before)));
  const newest = db
    .select({ id: auditLog.id })
    .from(auditLog)
    .where(noise)
    .orderBy(desc(auditLog.id))
    .limit(AUDIT_NOISE_MAX);
  await db.delete(auditLog).where(and(noise, notInArray(auditLog.id, newest)));
}
