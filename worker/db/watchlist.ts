// The instruments each user starred on their watchlist.
import { and, eq } from "drizzle-orm";
import type { Db } from "./client";
import { watchlistStars } from "./schema";

/** The profile ids `userId` starred. */
export async function starredProfiles(db: Db, userId: number): Promise<Set<number>> {
  const rows = await db
    .select({ profileId: watchlistStars.profileId })
    .from(watchlistStars)
    .where(eq(watchlistStars.userId, userId));
  return new Set(rows.map((r) => r.profileId));
}

/** Stars or unstars a profile for a user; either twice is the same as once. */
export async function setStar(db: Db, userId: number, profileId: number, starred: boolean): Promise<void> {
  if (starred) {
    await db.insert(watchlistStars).values({ userId, profileId }).onConflictDoNothing();
  } else {
    await db
      .delete(watchlistStars)
      .where(and(eq(watchlistStars.userId, userId), eq(watchlistStars.profileId, profileId)));
  }
}
