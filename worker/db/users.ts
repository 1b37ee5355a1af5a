// Queries over users; the db comes first, the request never reaches here.
import { eq, sql } from "drizzle-orm";
import type { Db } from "./client";
import { forget, Memo } from "./memo";
import { users } from "./schema";

export type UserRow = typeof users.$inferSelect;

export const publicUser = (u: UserRow) => ({ id: u.id, email: u.email, created_at: u.createdAt });

export async function findUserByEmail(db: Db, email: string) {
  return db.query.users.findFirst({ where: eq(users.email, email) });
}

export async function findUserById(db: Db, id: number) {
  return db.query.users.findFirst({ where: eq(users.id, id) });
}

const signedIn = new Memo<number, UserRow | undefined>(["users"]);

/**
 * The account behind a verified token, read at most FACTS_TTL_MS ago (a missing account is asked
 * again every time): a password change or deletion made in another isolate revokes within that bound.
 */
export const signedInUser = (db: Db, id: number) =>
  signedIn.get(
    id,
    () => findUserById(db, id),
    (u) => u !== undefined,
  );

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
  forget("users");
  return rows[0] ?? null;
}

export async function setPasswordHash(db: Db, id: number, passwordHash: string) {
  await db.update(users).set({ passwordHash }).where(eq(users.id, id));
  forget("users");
}

export async function deleteUser(db: Db, id: number) {
  await db.delete(users).where(eq(users.id, id));
  forget("users");
}
