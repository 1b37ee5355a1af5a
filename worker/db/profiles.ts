// Queries over trading profiles (the instruments admins collect and train).
import { and, asc, eq, inArray } from "drizzle-orm";
import { ApiError } from "../errors";
import type { Db } from "./client";
import { forgetOutcome } from "./collection-outcomes";
import { forget, Memo } from "./memo";
import { tradingProfiles } from "./schema";

export type ProfileRow = typeof tradingProfiles.$inferSelect;
export type NewProfile = typeof tradingProfiles.$inferInsert;

export const publicProfile = (p: ProfileRow, simulated = false) => ({
  id: p.id,
  symbol: p.symbol,
  name: p.name,
  profile_type: p.profileType,
  exchange: p.exchange,
  is_active: p.isActive,
  has_data: p.hasData,
  models_trained: p.modelsTrained,
  last_data_update: p.lastDataUpdate,
  tick_size: p.tickSize,
  created_at: p.createdAt,
  updated_at: p.updatedAt,
  simulated,
});

export async function listProfiles(db: Db) {
  return db.select().from(tradingProfiles).orderBy(asc(tradingProfiles.symbol));
}

export async function getProfile(db: Db, id: number) {
  return db.query.tradingProfiles.findFirst({ where: eq(tradingProfiles.id, id) });
}

/** The trained profiles among `ids`, in one query (a shard's ledger message names up to 50). */
export async function trainedProfilesByIds(db: Db, ids: number[]) {
  if (!ids.length) return [];
  return db
    .select()
    .from(tradingProfiles)
    .where(and(inArray(tradingProfiles.id, ids), eq(tradingProfiles.modelsTrained, true)))
    .orderBy(asc(tradingProfiles.id));
}

export async function getProfileBySymbol(db: Db, symbol: string) {
  return db.query.tradingProfiles.findFirst({ where: eq(tradingProfiles.symbol, symbol) });
}

/** Profiles users may see: data collected and at least one trained model. */
export async function listTrainedProfiles(db: Db, category?: ProfileRow["profileType"]) {
  return db
    .select()
    .from(tradingProfiles)
    .where(
      and(
        eq(tradingProfiles.hasData, true),
        eq(tradingProfiles.modelsTrained, true),
        category ? eq(tradingProfiles.profileType, category) : undefined,
      ),
    )
    .orderBy(asc(tradingProfiles.symbol));
}

const trained = new Memo<string, ProfileRow | undefined>(["profiles"]);
const isTrained = (p: ProfileRow | undefined) => !!p?.hasData && !!p.modelsTrained;

/**
 * The profile behind a user-visible symbol: it must exist, have data and a trained model. A trained
 * profile is kept per isolate for FACTS_TTL_MS (an untrained or missing one is asked again each time).
 */
export async function trainedProfile(db: Db, symbol: string) {
  const s = symbol.toUpperCase();
  const p = await trained.get(s, () => getProfileBySymbol(db, s), isTrained);
  if (!p?.hasData || !p.modelsTrained) {
    throw new ApiError(404, "instrument_not_found", `No trained instrument ${symbol.toUpperCase()}`);
  }
  return p;
}

export async function listActiveProfiles(db: Db) {
  return db.select().from(tradingProfiles).where(eq(tradingProfiles.isActive, true));
}

/** Null when the symbol is taken. */
export async function createProfile(db: Db, profile: NewProfile) {
  const rows = await db.insert(tradingProfiles).values(profile).onConflictDoNothing().returning();
  return rows[0] ?? null;
}

export async function updateProfile(db: Db, id: number, changes: Partial<NewProfile>) {
  const rows = await db
    .update(tradingProfiles)
    .set({ ...changes, updatedAt: new Date() })
    .where(eq(tradingProfiles.id, id))
    .returning();
  forget("profiles");
  return rows[0] ?? null;
}

export async function deleteProfile(db: Db, id: number) {
  await db.delete(tradingProfiles).where(eq(tradingProfiles.id, id));
  await forgetOutcome(db, id);
  forget("profiles");
}
