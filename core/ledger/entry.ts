// The forecast ledger's entries: what was forecast (or signalled), by which model version, made when,
// chained by hashes so that no entry can be edited, reordered or removed without the chain showing it.
//
// Canonical bytes: an entry's hash is the lowercase hex SHA-256 of the UTF-8 bytes of the RFC 8785
// (JSON Canonicalization Scheme) serialisation of every field of the entry except `hash` itself (and
// never its scores, which are derived later): keys sorted by UTF-16 code units, no white space,
// numbers as ECMAScript prints them. Each entry's `prev_hash` is the hash of the entry before it
// (GENESIS_HASH for seq 1), so the hash of the last entry (the chain head) commits to the whole ledger.
import canonicalize from "canonicalize";

export const GENESIS_HASH = "0".repeat(64);

/** One hour of a forecast path: the target period's open, the value and its 95% band. */
export interface LedgerPoint {
  time: number;
  value: number;
  lower: number;
  upper: number;
  /** A volatility model's sd of that hour's log return. */
  sigma?: number;
}

export interface LedgerSignal {
  signal: "buy" | "sell" | "hold";
  /** Calibrated probability that the next close moves the voters' way; null with no voter. */
  confidence: number | null;
  /** The voters' skill-weighted expected log return over the next hour (null: no voter). */
  expected: number | null;
  /** How far they leaned: |expected| in next-hour standard deviations (what the confidence is calibrated on). */
  score: number | null;
  voters: string[];
  /** The active model set it was decided by ("arima:3,garch:2,..."): a new version decides anew. */
  models: string;
}

/** What the Worker records; the ledger adds seq, prev_hash and hash. */
export interface LedgerDraft {
  symbol: string;
  kind: "forecast" | "signal";
  /** ISO time the entry was made (before any of its targets closed). */
  made_at: string;
  /** Open of the last closed hourly candle the forecast starts after: it was made at its close. */
  origin: number;
  /** That candle's close: the random walk's forecast of every later close. */
  last_close: number;
  model_type: string;
  model_version: number | null;
  artifact_sha256: string | null;
  forecast: LedgerPoint[];
  /** A volatility model's benchmark: RiskMetrics' EWMA sd of the next hourly log return at the origin. */
  ewma_sigma?: number;
  /** A volatility model's calibrated 95% range of the close `hours` after the origin. */
  range?: { hours: number; lower: number; upper: number };
  signal?: LedgerSignal;
}

export interface LedgerEntry extends LedgerDraft {
  seq: number;
  prev_hash: string;
  hash: string;
}

/** The canonical bytes that are hashed: everything but the hash (see the header). */
export function canonicalBytes(entry: Omit<LedgerEntry, "hash"> & { hash?: string }): Uint8Array {
  const { hash: _, ...body } = entry as LedgerEntry & { scores?: unknown };
  delete (body as { scores?: unknown }).scores;
  const text = canonicalize(body);
  if (text === undefined) throw new Error("ledger entry cannot be serialised");
  return new TextEncoder().encode(text);
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** The entry after `previous` (null: the first): its seq, prev_hash and hash. */
export async function chainEntry(previous: Pick<LedgerEntry, "seq" | "hash"> | null, draft: LedgerDraft) {
  const body = { ...draft, seq: (previous?.seq ?? 0) + 1, prev_hash: previous?.hash ?? GENESIS_HASH };
  return { ...body, hash: await sha256Hex(canonicalBytes(body)) } satisfies LedgerEntry;
}

/** Numbers kept to 10 significant digits: a price or a band needs no more, and the ledger stays small. */
export const compact = (x: number) => Number(x.toPrecision(10));

export interface ChainProblem {
  seq: number;
  problem: string;
}

/**
 * Every break of the chain in `entries` (oldest first, from seq `firstSeq` whose prev_hash must be
 * `firstPrev`): a hash that does not match the entry's bytes, a seq out of order or missing, a
 * prev_hash that is not the previous entry's hash.
 */
export async function verifyChain(
  entries: readonly LedgerEntry[],
  firstSeq = 1,
  firstPrev = GENESIS_HASH,
): Promise<ChainProblem[]> {
  const problems: ChainProblem[] = [];
  let seq = firstSeq;
  let prev = firstPrev;
  for (const e of entries) {
    if (e.seq !== seq) problems.push({ seq: e.seq, problem: `seq ${e.seq} where ${seq} was due` });
    if (e.prev_hash !== prev)
      problems.push({ seq: e.seq, problem: "prev_hash is not the previous entry's hash" });
    const hash = await sha256Hex(canonicalBytes(e));
    if (hash !== e.hash) problems.push({ seq: e.seq, problem: "hash does not match the entry's bytes" });
    seq = e.seq + 1;
    prev = e.hash;
  }
  return problems;
}
