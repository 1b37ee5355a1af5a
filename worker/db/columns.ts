// Columns many D1 tables share (schema.ts, alerts-schema.ts): the row id, the timestamps, and a
// required reference that goes with the row it points at (ON DELETE CASCADE).
import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, integer } from "drizzle-orm/sqlite-core";

const now = sql`(unixepoch())`;

export const rowId = () => integer("id").primaryKey({ autoIncrement: true });
/** A point in time, unix seconds in D1 and a Date in TypeScript. */
export const timestamp = <N extends string>(name: N) => integer(name, { mode: "timestamp" });
export const createdAt = () => timestamp("created_at").notNull().default(now);
export const updatedAt = () => timestamp("updated_at").notNull().default(now);
/** Both stamps of a row that changes, set by D1 when it is written. */
export const stamps = () => ({ createdAt: createdAt(), updatedAt: updatedAt() });

/** A reference that must be set and whose row goes when the row it points at is deleted. */
export const ownedBy = <N extends string>(name: N, target: () => AnySQLiteColumn) =>
  integer(name).notNull().references(target, { onDelete: "cascade" });
