// Queries over admin accounts.
import { eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { adminUsers } from "./schema";

export type AdminRow = typeof adminUsers.$inferSelect;

export const publicAdmin = (a: AdminRow) => ({
  id: a.id,
  email: a.email,
  name: a.name,
  created_at: a.createdAt,
});

export async function findAdminByEmail(db: Db, email: string) {
  return db.query.adminUsers.findFirst({ where: eq(adminUsers.email, email) });
}

export async function findAdminById(db: Db, id: number) {
  return db.query.adminUsers.findFirst({ where: eq(adminUsers.id, id) });
}

export async function countAdmins(db: Db): Promise<number> {
  const [row] = await db.select({ n: sql<number>`count(*)` }).from(adminUsers);
  return row?.n ?? 0;
}

export interface NewAdmin {
  email: string;
  name: string;
  passwordHash: string;
}

/** Adds an admin; null when the email is taken. */
export async function createAdmin(db: Db, admin: NewAdmin) {
  const rows = await db.insert(adminUsers).values(admin).onConflictDoNothing().returning();
  return rows[0] ?? null;
}

/**
 * Adds the first admin in one statement that only inserts while the table is empty, so two bootstrap
 * requests racing each other cannot both succeed. Null when an admin already exists.
 */
export async function createFirstAdmin(db: Db, admin: NewAdmin) {
  const rows = await db.all<{ id: number }>(sql`
    insert into admin_users (email, name, password_hash)
    select ${admin.email}, ${admin.name}, ${admin.passwordHash}
    where not exists (select 1 from admin_users)
    returning id`);
  const id = rows[0]?.id;
  return id === undefined ? null : ((await findAdminById(db, id)) ?? null);
}

export async function setAdminPasswordHash(db: Db, id: number, passwordHash: string) {
  await db.update(adminUsers).set({ passwordHash }).where(eq(adminUsers.id, id));
}
