// Queries over users; the db comes first, the request never reaches here.
import { eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { users } from "./schema";

export type UserRow = typeof users.$inferSelect;

export const publicUser = (u: UserRow) => ({ id: u.id, email: u.email, created_at: u.createdAt });

export async function findUserByEmail(db: Db, email: string) {
  return db.query.users.findFirst({ where: eq(users.email, email) });
}

export async function findUserById(db: Db, id: number) {
  return db.query.users.findFirst({ where: eq(users.id, id) });
}

/** Inserts a user, or returns null when the email is taken (the unique index decides, not a pre-check). */
export async function createUser(db: Db, email: string, passwordHash: string) {
  const rows = await db.insert(users).values({ email, passwordHash }).onConflictDoNothing().returning();
  return rows[0] ?? null;
}

export interface UserChanges {
  email?: string;
  passwordHash?: string;
}

/** Applies changes; a password change bumps token_version so older tokens stop working. */
export async function updateUser(db: Db, id: number, changes: UserChanges) {
  const rows = await db
    .update(users)
    .set({
      ...(changes.email ? { email: changes.email } : {}),
      ...(changes.passwordHash
        ? { passwordHash: changes.passwordHash, tokenVersion: sql`${users.tokenVersion} + 1` }
        : {}),
      updatedAt: new Date(),
    })
    .where(eq(users.id, id))
    .returning();
  return rows[0] ?? null;
}

export async function setPasswordHash(db: Db, id: number, passwordHash: string) {
  await db.update(users).set({ passwordHash }).where(eq(users.id, id));
}

export async function deleteUser(db: Db, id: number) {
  await db.delete(users).where(eq(users.id, id));
}
