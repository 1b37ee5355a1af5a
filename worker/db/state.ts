// Small operational facts kept in app_state (key -> JSON value).
import { eq } from "drizzle-orm";
import type { Db } from "./client";
import { appState } from "./schema";

export async function readState<T>(db: Db, key: string): Promise<T | null> {
  const row = await db.query.appState.findFirst({ where: eq(appState.key, key) });
  return row ? (JSON.parse(row.value) as T) : null;
}

export async function writeState(db: Db, key: string, value: unknown) {
  const json = JSON.stringify(value);
  await db
    .insert(appState)
    .values({ key, value: json })
    .onConflictDoUpdate({ target: appState.key, set: { value: json, updatedAt: new Date() } });
}

export const COLLECTION_LAST_RUN = "collection.last_run";
