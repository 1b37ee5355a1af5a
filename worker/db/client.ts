import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema";

// drizzle maps the whole schema when it is created: once per D1 binding and isolate, not per request.
const made = new WeakMap<D1Database, ReturnType<typeof make>>();
const make = (d1: D1Database) => drizzle(d1, { schema });

export type Db = ReturnType<typeof make>;
export function getDb(d1: D1Database): Db {
  let db = made.get(d1);
  if (!db) {
    db = make(d1);
    made.set(d1, db);
  }
  return db;
}
