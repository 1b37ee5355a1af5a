// The InstrumentLedger's SQLite tables: entries (the canonical entry as JSON, append-only), the paper
// account's equity an hour a row, and small facts (the tallies, the counts, the head).
export const LEDGER_SCHEMA = `
  CREATE TABLE IF NOT EXISTS entries (
    seq INTEGER PRIMARY KEY, origin INTEGER NOT NULL, kind TEXT NOT NULL, model_type TEXT NOT NULL,
    dedupe TEXT NOT NULL UNIQUE, body TEXT NOT NULL, hash TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS entries_origin ON entries (origin);
  CREATE TABLE IF NOT EXISTS equity (time INTEGER PRIMARY KEY, value REAL NOT NULL, buy_and_hold REAL NOT NULL);
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);`;
