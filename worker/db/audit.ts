// The audit trail of admin actions.
import { desc, eq } from "drizzle-orm";
import type { Db } from "./client";
import { auditLog } from "./schema";

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
    target: entry.target ?? null,
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
