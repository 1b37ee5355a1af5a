// The ledger's export: entries with the scores of their hours closed so far (recomputed from the
// entries and the hourly candles, exactly as the ledger summed them), as JSON objects or CSV rows.
import type { LedgerEntry } from "../../core/ledger/entry";
import { confidenceOutcome } from "../../core/ledger/replay";
import { type HorizonScore, type HourBar, scoreEntry } from "../../core/ledger/score";

export type ScoredEntry = LedgerEntry & { scores: HorizonScore[]; outcome?: { hit: boolean } };

/** `entries` with their scores on the hours up to `through` (the ledger's scored hours). */
export function scoredEntries(
  entries: readonly LedgerEntry[],
  bars: readonly HourBar[],
  through: number | null,
) {
  const closed = through === null ? [] : bars.filter((b) => b.time <= through);
  const closes = new Map(closed.map((b) => [b.time, b.close]));
  return entries.map((e): ScoredEntry => {
    if (e.kind === "signal") {
      const o = confidenceOutcome(e, (t) => closes.get(t));
      return { ...e, scores: [], ...(o ? { outcome: { hit: o.hit } } : {}) };
    }
    return { ...e, scores: scoreEntry(e, closed) };
  });
}

const COLUMNS = [
  "seq",
  "made_at",
  "kind",
  "origin",
  "symbol",
  "model_type",
  "model_version",
  "artifact_sha256",
  "last_close",
  "forecast",
  "ewma_sigma",
  "range",
  "signal",
  "prev_hash",
  "hash",
  "scores",
] as const;

const cell = (v: unknown) => {
  if (v === undefined || v === null) return "";
  const text = typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

/** RFC 4180 CSV: one row per entry, nested values (forecast, signal, scores) as JSON in their cell. */
export function toCsv(entries: readonly ScoredEntry[]): string {
  const rows = entries.map((e) =>
    COLUMNS.map((k) => cell((e as unknown as Record<string, unknown>)[k])).join(","),
  );
  return `${[COLUMNS.join(","), ...rows].join("\r\n")}\r\n`;
}
