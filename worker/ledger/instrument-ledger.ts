// InstrumentLedger: one Durable Object per instrument holding its forecast ledger in its own SQLite
// storage (10 GB an object: centuries of hourly entries). Entries are only ever appended, one writer at
// a time, each chained to the one before (core/ledger/entry.ts); no method edits or deletes one. The
// scores are summed as their hours close (core/ledger/replay.ts) and kept beside the entries, with the
// signal's paper equity an hour a row. A retrain, a restart or a redeploy changes none of it.
import { DurableObject } from "cloudflare:workers";
import { chainEntry, type LedgerDraft, type LedgerEntry } from "../../core/ledger/entry";
import { type LedgerTallies, NEW_TALLIES, scoreWindow } from "../../core/ledger/replay";
import { HOUR_SECONDS, type HourBar } from "../../core/ledger/score";
import { type LedgerCounts, type TrackRecord, trackRecordOf } from "../../core/ledger/track-record";
import { dedupeKey } from "./dedupe";
import { LEDGER_SCHEMA } from "./schema";

/** Hours of paper equity a track record answers with at most (older hours thinned evenly). */
export const EQUITY_POINTS = 720;
/** Entries one page of the export may hold. */
export const PAGE_ENTRIES = 5_000;

const NO_COUNTS: LedgerCounts = { entries: {}, versions: {}, since: null, head: null };

export class InstrumentLedger extends DurableObject<Env> {
  private record: TrackRecord | null = null;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.storage.sql.exec(LEDGER_SCHEMA);
  }

  private sql = <T extends Record<string, SqlStorageValue>>(query: string, ...args: SqlStorageValue[]) =>
    this.ctx.storage.sql.exec<T>(query, ...args).toArray();

  private meta<T>(key: string, fallback: T): T {
    const [row] = this.sql<{ value: string }>("SELECT value FROM meta WHERE key = ?", key);
    return row ? (JSON.parse(row.value) as T) : fallback;
  }

  private setMeta(key: string, value: unknown) {
    this.sql("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", key, JSON.stringify(value));
  }

  private entriesWhere(where: string, ...args: SqlStorageValue[]): LedgerEntry[] {
    const rows = this.sql<{ body: string }>(
      `SELECT body FROM entries WHERE ${where} ORDER BY seq LIMIT ${PAGE_ENTRIES}`,
      ...args,
    );
    return rows.map((r) => JSON.parse(r.body) as LedgerEntry);
  }

  /**
   * Appends the drafts not yet recorded (by kind, model, version and origin), one after the other on
   * the chain, and returns the stored entry of every draft: new or already there.
   */
  async append(symbol: string, drafts: LedgerDraft[]): Promise<LedgerEntry[]> {
    // Hashing awaits WebCrypto: nothing else may read the head meanwhile, or two entries would share it.
    return this.ctx.blockConcurrencyWhile(async () => {
      const out: LedgerEntry[] = [];
      let counts = this.meta<LedgerCounts>("counts", NO_COUNTS);
      for (const draft of drafts) {
        if (draft.symbol !== symbol) throw new Error(`a ${draft.symbol} entry in the ${symbol} ledger`);
        const [stored] = this.entriesWhere("dedupe = ?", dedupeKey(draft));
        if (stored) {
          out.push(stored);
          continue;
        }
        const entry = await chainEntry(counts.head, draft);
        this.ctx.storage.transactionSync(() => {
          this.sql(
            "INSERT INTO entries (seq, origin, kind, model_type, dedupe, body, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
            entry.seq,
            entry.origin,
            entry.kind,
            entry.model_type,
            dedupeKey(entry),
            JSON.stringify(entry),
            entry.hash,
          );
          counts = countIn(counts, entry);
          this.setMeta("counts", counts);
        });
        out.push(entry);
      }
      this.record = null;
      return out;
    });
  }

  /** Open of the first hour whose candle the next scoring needs (null: nothing recorded yet). */
  async pendingFrom(): Promise<number | null> {
    const through = this.meta<LedgerTallies>("tallies", NEW_TALLIES()).scored_through;
    if (through !== null) return through;
    const [first] = this.sql<{ origin: number }>("SELECT min(origin) AS origin FROM entries");
    return first?.origin ?? null;
  }

  /** Scores every recorded hour that `bars` (closed hourly candles, oldest first) has closed since last time. */
  async score(bars: HourBar[]): Promise<{ scored: number; through: number | null }> {
    return this.ctx.blockConcurrencyWhile(async () => {
      const tallies = this.meta<LedgerTallies>("tallies", NEW_TALLIES());
      const first = bars[0]?.time;
      if (first === undefined) return { scored: 0, through: tallies.scored_through };
      // Every entry with a target in the window: made at most 24 hours (the path) before its first hour.
      const entries = this.entriesWhere("origin >= ?", first - 25 * HOUR_SECONDS);
      const before = tallies.paper.last;
      const { scores, equity } = scoreWindow(tallies, entries, bars);
      this.ctx.storage.transactionSync(() => {
        for (const e of equity)
          if (before === null || e.time > before)
            this.sql("INSERT OR REPLACE INTO equity VALUES (?, ?, ?)", e.time, e.value, e.buy_and_hold);
        this.setMeta("tallies", tallies);
      });
      this.record = null;
      let scored = 0;
      for (const s of scores.values()) scored += s.length;
      return { scored, through: tallies.scored_through };
    });
  }

  /** The track record: tallies summed up, the head, the paper equity thinned to EQUITY_POINTS. */
  async trackRecord(symbol: string): Promise<TrackRecord> {
    if (this.record) return this.record;
    const rows = this.sql<{ time: number; value: number; buy_and_hold: number }>(
      "SELECT time, value, buy_and_hold FROM equity ORDER BY time",
    );
    const step = Math.ceil(rows.length / EQUITY_POINTS);
    const equity = rows.filter((_, i) => i % step === 0 || i === rows.length - 1);
    this.record = trackRecordOf(
      symbol,
      this.meta("tallies", NEW_TALLIES()),
      this.meta("counts", NO_COUNTS),
      equity,
    );
    return this.record;
  }

  /** Entries whose origin lies in [from, to], oldest first, at most PAGE_ENTRIES from `afterSeq`. */
  async entries(from: number, to: number, afterSeq = 0): Promise<LedgerEntry[]> {
    return this.entriesWhere("origin BETWEEN ? AND ? AND seq > ?", from, to, afterSeq);
  }

  /** Bytes of the object's SQLite storage and entries held (for the README's cost figures). */
  async size(): Promise<{ bytes: number; entries: number }> {
    const [row] = this.sql<{ n: number }>("SELECT count(*) AS n FROM entries");
    return { bytes: this.ctx.storage.sql.databaseSize, entries: row?.n ?? 0 };
  }
}

function countIn(counts: LedgerCounts, e: LedgerEntry): LedgerCounts {
  const versions = counts.versions[e.model_type] ?? [];
  return {
    entries: { ...counts.entries, [e.model_type]: (counts.entries[e.model_type] ?? 0) + 1 },
    versions:
      e.model_version === null || versions.includes(e.model_version)
        ? counts.versions
        : { ...counts.versions, [e.model_type]: [...versions, e.model_version] },
    since: counts.since ?? e.made_at,
    head: { seq: e.seq, hash: e.hash },
  };
}

export const instrumentLedger = (env: Env, symbol: string) =>
  env.INSTRUMENT_LEDGER.get(env.INSTRUMENT_LEDGER.idFromName(symbol.toUpperCase()));
