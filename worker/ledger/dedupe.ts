import type { LedgerDraft } from "../../core/ledger/entry";

/** The same draft twice (a redelivered tick, the cron and a request racing) is stored once. */
export const dedupeKey = (d: LedgerDraft) =>
  `${d.kind}|${d.model_type}|${d.model_version ?? d.signal?.models ?? ""}|${d.origin}`;
